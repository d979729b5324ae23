import AppointmentModel
import BatchOptimizer
import Foundation
import RealTimeBooking
import Synchronization
import Testing
import TestSupport

@Suite struct BatchOptimizerTests {
    /// Format 2 (holds, authorizations, a decision time): the optimiser's schedule is valid for the
    /// library's validator and for the referee, and never worse than the online replay's.
    @Test(arguments: ["v2-tiny-01", "v2-small-01", "v2-medium-01"])
    func aVersionTwoInstanceIsOptimisedValidly(name: String) throws {
        let instance = try SharedFiles.instance(name)
        let result = try BatchOptimizer().optimize(instance, parameters: OptimizerParameters(timeLimit: .seconds(4)))
        let report = ScheduleValidator(instance).validate(result.solution)
        #expect(report.isValid, "\(name): \(report.violations.prefix(3))")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("v2-opt-\(name)-\(UUID().uuidString).json")
        try Data(ExchangeFormat.write(result.solution, for: instance).utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let referee = try Referee.judge(instance: SharedFiles.instanceURL(name), solution: url)
        #expect(referee.valid, "\(name): \(referee.checks)")
        #expect(abs(referee.cost - report.cost.total) <= 1e-9 * max(1, referee.cost))
        let replay = ScheduleValidator(instance).validate(OnlineReplay.run(instance).solution, online: true)
        #expect(report.cost.total <= replay.cost.total + 1e-9, "\(name): batch \(report.cost.total) vs replay \(replay.cost.total)")
    }

    /// The tiny instances solved to proven optimality, each equal to the optimum in
    /// `shared/reference/reference.json` (CP-SAT and HiGHS, status OPTIMAL).
    @Test(arguments: [("tiny-01", 574.0694444444445), ("tiny-02", 463.9375), ("tiny-03", 1510.7777777777778)])
    func aTinyInstanceIsSolvedToItsKnownOptimum(name: String, optimum: Double) throws {
        let instance = try SharedFiles.instance(name)
        let result = try BatchOptimizer().optimize(instance, parameters: OptimizerParameters(timeLimit: .seconds(30)))
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
        #expect(abs(result.cost.total - optimum) < 1e-6, "\(name): \(result.cost.total)")
        let bound = try #require(result.bound)
        #expect(abs(bound - result.cost.total) < 1e-6, "\(name): bound \(bound)")
        #expect(result.stop == .provenOptimal)
    }

    /// Progress events report the bound once the whole model of a small instance has one: never
    /// above the optimum, and equal to the cost when optimality is proven.
    @Test func progressEventsCarryTheBound() throws {
        let instance = try SharedFiles.instance("tiny-02")
        let events = Mutex<[OptimizerEvent]>([])
        let result = try BatchOptimizer().optimize(instance, parameters: OptimizerParameters(timeLimit: .seconds(30))) { event in
            events.withLock { $0.append(event) }
        }
        let bounds = events.withLock { $0.compactMap(\.bound) }
        #expect(!bounds.isEmpty)
        #expect(bounds.allSatisfy { $0 <= 463.9375 + 1e-6 })
        #expect(abs(try #require(bounds.last) - result.cost.total) < 1e-6)
    }

    /// A bound is a bound: on small-02 (optimum 12,310.97, proven by HiGHS) a short run's bound
    /// is at most the optimum, and at most its own cost.
    @Test func theBoundNeverExceedsTheOptimum() throws {
        let instance = try SharedFiles.instance("small-02")
        let result = try BatchOptimizer().optimize(instance, parameters: OptimizerParameters(timeLimit: .seconds(8)))
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
        let bound = try #require(result.bound)
        #expect(bound <= 12_310.972222222223 + 1e-6)
        #expect(bound <= result.cost.total + 1e-6)
    }

    /// Never worse than the start, nothing dropped, pins kept, every solution valid (referee too).
    @Test(arguments: ["tiny-01", "small-02", "medium-02-dst"])
    func theResultIsNeverWorseThanItsStartAndKeepsEveryBooking(name: String) throws {
        let instance = try SharedFiles.instance(name)
        let start = Solution.baseline(of: instance)
        let result = try BatchOptimizer().optimize(instance, start: start, parameters: OptimizerParameters(timeLimit: .seconds(3)))
        let report = ScheduleValidator(instance).validate(result.solution)
        #expect(report.isValid, "\(report.violations.prefix(3))")
        #expect(result.cost.total <= result.startCost.total + 1e-9)
        for r in instance.requests {
            guard let c = r.current else { continue }
            let a = result.solution.assignments.first { $0.request == r.id }
            #expect(a != nil, "\(name): existing booking \(r.id) dropped")
            if c.pinned { #expect(a?.start == c.start && a?.providers == c.providers && a?.room == c.room) }
        }
        #expect(result.solution.unscheduled.allSatisfy { !$0.reason.isEmpty })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("opt-\(name)-\(UUID().uuidString).json")
        try Data(ExchangeFormat.write(result.solution, for: instance).utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let referee = try Referee.judge(instance: SharedFiles.instanceURL(name), solution: url)
        #expect(referee.valid)
        #expect(abs(referee.cost - result.cost.total) <= 1e-9 * max(1, referee.cost))
    }

    /// At a local optimum the search starts again with new neighbourhoods, and ends early once a
    /// whole set of them brings nothing: tiny-01 searched without its whole model stops for that
    /// reason before its 60 s limit, at the proven optimum's cost or above it, never below. (How
    /// well the time limit holds is measured by `Benchmarks/deadline.sh`, not asserted here.)
    @Test func theSearchEndsEarlyWhenAWholeSetBringsNothing() throws {
        let instance = try SharedFiles.instance("tiny-01")
        var parameters = OptimizerParameters(timeLimit: .seconds(60))
        parameters.exactRequestLimit = 0  // the neighbourhood search alone
        let result = try BatchOptimizer().optimize(instance, parameters: parameters)
        #expect(result.stop == .localOptimum)
        #expect(result.neighbourhoods > 0)
        // No whole model here: the bound is the capacity relaxation's (its LP ends at once).
        let capacity = try #require(BatchOptimizer.capacityBound(instance, timeLimit: .seconds(30)))
        #expect(result.bound == capacity)
        #expect(capacity > BatchOptimizer.relaxationBound(instance))
        #expect(result.cost.total >= 574.0694444444445 - 1e-6)
        #expect(result.cost.total <= result.startCost.total + 1e-9)
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
    }

    /// Cancelling the task of an async run stops it; it returns the best schedule it has.
    @Test func anAsyncRunStopsWhenItsTaskIsCancelled() async throws {
        let instance = try SharedFiles.instance("medium-01")
        let run = Task { try await BatchOptimizer().optimize(instance, parameters: OptimizerParameters(timeLimit: .seconds(120))) }
        try await Task.sleep(for: .seconds(2))
        run.cancel()
        let result = try await run.value
        #expect(result.stop == .cancelled)
        #expect(result.cost.total <= result.startCost.total + 1e-9)
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
    }

    /// A run that the time limit ends says so.
    @Test func aRunEndedByItsLimitSaysSo() throws {
        let instance = try SharedFiles.instance("large-01")
        let result = try BatchOptimizer().optimize(instance, parameters: OptimizerParameters(timeLimit: .seconds(3)))
        #expect(result.stop == .timeLimit)
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
    }

    /// With node limits and a neighbourhood budget the run is reproducible: twice the same schedule.
    @Test func aBudgetedRunIsReproducible() throws {
        let instance = try SharedFiles.instance("medium-02-dst")
        let parameters = OptimizerParameters.budgeted(nodes: 100, neighbourhoods: 16, seed: 7, timeLimit: .seconds(120))
        let first = try BatchOptimizer().optimize(instance, parameters: parameters)
        let second = try BatchOptimizer().optimize(instance, parameters: parameters)
        #expect(first.neighbourhoods >= 16)
        #expect(first.stop == .neighbourhoodLimit)
        #expect(first.improvements > 0)
        #expect(first.solution == second.solution)
        #expect(ScheduleValidator(instance).validate(first.solution).isValid)
    }

    /// A cancellation from another thread stops a 60 s run, which says so; the result is the
    /// best schedule so far: valid and never worse than the start.
    @Test func cancellationIsHonoured() throws {
        let (instance, result, wall) = try optimizeCancelled("large-01", after: 1.5)
        #expect(result.stop == .cancelled)
        #expect(wall < .seconds(60), "ended before its limit: \(wall)")
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
        #expect(result.cost.total <= result.startCost.total + 1e-9)
    }

    /// A small instance ends with its whole model solved twice at once (with and without cuts);
    /// a cancellation reaches both solves: a 60 s run cancelled after 10 s (while they run)
    /// ends before its limit (a solve the cancellation missed would run to it), valid, never
    /// worse than its start, its bound below its cost.
    @Test func cancellationReachesBothWholeModelSolves() throws {
        let (instance, result, wall) = try optimizeCancelled("small-01", after: 10)
        #expect(result.stop == .cancelled)
        #expect(wall < .seconds(60), "ended before its limit: \(wall)")
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
        #expect(result.cost.total <= result.startCost.total + 1e-9)
        let bound = try #require(result.bound)
        #expect(bound <= result.cost.total + 1e-6)
    }

    /// A 60 s run of `name` cancelled from another thread after `seconds`, and its wall time.
    private func optimizeCancelled(_ name: String, after seconds: Double) throws -> (Instance, OptimizationResult, Duration) {
        let instance = try SharedFiles.instance(name)
        let cancellation = OptimizerCancellation()
        let clock = ContinuousClock()
        let started = clock.now
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: seconds)
            cancellation.cancel()
        }
        let result = try BatchOptimizer().optimize(instance, parameters: OptimizerParameters(timeLimit: .seconds(60)),
                                                   cancellation: cancellation)
        return (instance, result, clock.now - started)
    }

    @Test func anInvalidStartIsRefused() throws {
        let instance = try SharedFiles.instance("tiny-01")
        var start = Solution.baseline(of: instance)
        start.assignments[0].start += 1
        #expect(throws: OptimizerError.self) {
            try BatchOptimizer().optimize(instance, start: start, parameters: OptimizerParameters(timeLimit: .seconds(1)))
        }
    }
}

/// A time limit of zero or less is an error that says so, not an instant return.
@Suite struct OptimizerParameterTests {
    @Test(arguments: [Duration.zero, .seconds(-1)])
    func aTimeLimitThatIsNotPositiveIsRefused(limit: Duration) throws {
        let instance = try SharedFiles.instance("tiny-01")
        do {
            _ = try BatchOptimizer().optimize(instance, parameters: OptimizerParameters(timeLimit: limit))
            Issue.record("a time limit of \(limit) was accepted")
        } catch {
            #expect(error.description.contains("timeLimit must be positive"), "\(error)")
        }
    }
}

/// The optimiser over a horizon to the year 9999: its set-up follows the shifts (neighbourhoods
/// only on days with shifts), and the run ends for one of its reasons with a valid schedule.
@Suite struct LongHorizonOptimizerTests {
    @Test func aHorizonToTheYear9999IsOptimisedLikeItsShifts() throws {
        let instance = try SharedFiles.instanceToTheYear9999("small-01")
        var parameters = OptimizerParameters.budgeted(nodes: 200, neighbourhoods: 12, seed: 3, timeLimit: .seconds(30))
        parameters.exactRequestLimit = 0
        let result = try BatchOptimizer().optimize(instance, parameters: parameters)
        #expect(result.stop == .neighbourhoodLimit)
        #expect(result.improvements > 0)
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
    }
}

/// The relaxation's bound is a bound: never above the best schedule any solver found for a public
/// instance (`shared/reference/reference.json`), and equal to a tiny instance's proven optimum
/// only when a run proves it.
@Suite struct RelaxationBoundTests {
    @Test(arguments: SharedFiles.instanceNames)
    func theBoundIsNeverAboveTheBestKnownSchedule(name: String) throws {
        let data = try Data(contentsOf: SharedFiles.shared.appendingPathComponent("reference/reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let best = try #require(((reference[name] as? [String: Any])?["best"] as? [String: Any])?["objective"] as? NSNumber).doubleValue
        let bound = BatchOptimizer.relaxationBound(try SharedFiles.instance(name))
        #expect(bound >= 0)
        #expect(bound <= best + 1e-6, "\(name): bound \(bound) above the best known \(best)")
    }

    /// A request no qualified provider's session can take costs its penalty in every schedule.
    @Test func aRequestThatFitsNowhereCostsItsPenalty() throws {
        var instance = try SharedFiles.instance("tiny-01")
        let before = BatchOptimizer.relaxationBound(instance)
        let k = try #require(instance.requests.firstIndex { $0.current == nil })
        let penalty = instance.objective.unscheduledPenalty[instance.requests[k].priority]
        let alone = BatchOptimizer.relaxationBound({ var one = instance; one.requests = [instance.requests[k]]; return one }())
        // Its window moved to where nobody works: the first minute of the horizon, for one minute.
        instance.requests[k].earliest = instance.horizon.start
        instance.requests[k].latest = instance.horizon.start
        let after = BatchOptimizer.relaxationBound(instance)
        #expect(abs(after - (before - alone + penalty)) < 1e-9, "\(before) \(alone) \(after)")
    }
}

/// The capacity relaxation's bound is a bound, and it is never weaker than the per-request one.
/// (Large and xl: their LPs take tens of seconds to minutes in a debug build; their bounds are in
/// the harness's runs, `Docs/benchmarks.md`, each below the best known schedule.)
@Suite struct CapacityBoundTests {
    @Test(arguments: SharedFiles.instanceNames.filter { !$0.contains("large") && !$0.contains("xl") })
    func theBoundLiesBetweenThePerRequestBoundAndTheBestKnownSchedule(name: String) throws {
        let data = try Data(contentsOf: SharedFiles.shared.appendingPathComponent("reference/reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let best = try #require(((reference[name] as? [String: Any])?["best"] as? [String: Any])?["objective"] as? NSNumber).doubleValue
        let instance = try SharedFiles.instance(name)
        let bound = try #require(BatchOptimizer.capacityBound(instance, timeLimit: .seconds(300)), "\(name): no optimum in 300 s")
        #expect(bound <= best + 1e-6, "\(name): bound \(bound) above the best known \(best)")
        #expect(bound >= BatchOptimizer.relaxationBound(instance) - 1e-6, "\(name): weaker than the per-request bound")
    }

    /// One provider with an hour and three half-hour routine requests for that hour: one of them
    /// cannot fit, so the bound is at least its penalty, and the per-request bound misses it.
    @Test func whatDoesNotFitCostsItsPenalty() throws {
        var instance = try SharedFiles.instance("tiny-01")
        let routine = try #require(instance.requests.firstIndex { $0.current == nil && $0.group == nil && $0.after == nil })
        let type = try #require(instance.appointmentTypes.first { $0.id == instance.requests[routine].type })
        let provider = try #require(instance.providers.firstIndex { p in type.roles.count == 1 && type.roles[0].skills.allSatisfy(p.skills.contains) })
        let shift = instance.providers[provider].shifts[0]
        instance.providers = [instance.providers[provider]]
        instance.providers[0].shifts = [Shift(location: shift.location, span: TimeSpan(start: shift.span.start, end: shift.span.start + 2 * type.durationMinutes))]
        instance.providers[0].blocks = []
        var request = instance.requests[routine]
        request.earliest = shift.span.start
        request.latest = shift.span.start + type.durationMinutes
        request.providers = nil
        request.locations = nil
        instance.requests = (0..<3).map { k in var r = request; r.id = "R-\(k)"; r.patient = "P-\(k)"; return r }
        let penalty = instance.objective.unscheduledPenalty[request.priority]
        let bound = try #require(BatchOptimizer.capacityBound(instance, timeLimit: .seconds(30)))
        #expect(bound >= penalty * (1 - 1e-6))  // the bound sits a hair below the LP optimum, for its rounding
        #expect(BatchOptimizer.relaxationBound(instance) < penalty)
    }
}
