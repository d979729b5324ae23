import AppointmentModel
import Foundation
import RealTimeBooking
import Testing
import TestSupport

/// The online replay on every public instance, with both policies: every solution valid under
/// the library's validator and the referee, with the referee's cost.
@Suite struct ReplayTests {
    @Test(arguments: SharedFiles.instanceNames)
    func replaySolutionsAreValidForBothPolicies(name: String) throws {
        let instance = try SharedFiles.instance(name)
        var costs: [String: Double] = [:]
        for (label, report) in [("best-fit", OnlineReplay.run(instance, policy: BestFit())),
                                ("earliest", OnlineReplay.run(instance, policy: EarliestFirst()))] {
            let ours = ScheduleValidator(instance).validate(report.solution, online: true)
            #expect(ours.isValid, "\(name) \(label): \(ours.violations.prefix(3))")
            // Every existing booking is still there, unmoved.
            for r in instance.requests {
                guard let c = r.current else { continue }
                let a = report.solution.assignments.first { $0.request == r.id }
                #expect(a?.start == c.start && a?.providers == c.providers, "\(name) \(label): \(r.id) moved")
            }
            #expect(report.solution.unscheduled.allSatisfy { $0.reason.hasPrefix("refused:") })
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(name)-\(label)-\(UUID().uuidString).json")
            try Data(ExchangeFormat.write(report.solution, for: instance).utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let referee = try Referee.judge(instance: SharedFiles.instanceURL(name), solution: url, online: true)
            #expect(referee.valid, "\(name) \(label): referee \(referee.checks)")
            #expect(abs(referee.cost - ours.cost.total) <= 1e-9 * max(1, referee.cost))
            costs[label] = ours.cost.total
        }
        // Not asserted here: best-fit is not cheaper than earliest-first on every instance (see
        // Docs/real-time-booking.md for the two exceptions and why); it is printed for the record.
        let bestFit = try #require(costs["best-fit"]), earliest = try #require(costs["earliest"])
        print("replay \(name): best-fit \(bestFit) earliest \(earliest)")
    }
}

/// A horizon to the year 9999 with a day of shifts: the engine's tables are a day's, the replay
/// valid (it used 19.5 GB before the tables followed the shifts).
@Suite struct LongHorizonTests {
    @Test func aReplayOverAHorizonToTheYear9999IsValidAndSmall() throws {
        let instance = try SharedFiles.instanceToTheYear9999("small-01")
        let engine = BookingEngine(instance)
        #expect(engine.indexBytes < 1 << 20, "\(engine.indexBytes) bytes")
        let replay = OnlineReplay.run(instance)
        #expect(ScheduleValidator(instance).validate(replay.solution).isValid)
        #expect(!replay.solution.assignments.isEmpty)
    }
}

/// The heuristics that start the batch optimiser stop at a deadline (set-up counts against the
/// optimiser's time limit: a 200,000-request file took 9 s under a 2 s limit): what they did not
/// reach stays unscheduled with that reason, and what they booked is valid.
@Suite struct DeadlineTests {
    @Test func theGreedyStopsAtItsDeadline() throws {
        let instance = try SharedFiles.instance("medium-01")
        let solution = PriorityGreedy.run(instance, until: .now)
        #expect(ScheduleValidator(instance).validate(solution).isValid)
        let stopped = solution.unscheduled.filter { $0.reason == "greedy: stopped at its time limit" }
        #expect(!stopped.isEmpty)
        #expect(solution.assignments.count < PriorityGreedy.run(instance).assignments.count)
    }

    @Test func theReplayStopsAtItsDeadline() throws {
        let instance = try SharedFiles.instance("medium-01")
        let report = OnlineReplay.run(instance, until: .now)
        #expect(ScheduleValidator(instance).validate(report.solution, online: true).isValid)
        #expect(report.solution.unscheduled.contains { $0.reason == "replay: stopped at its time limit" })
        #expect(report.booked < OnlineReplay.run(instance).booked)
    }
}

/// Held capacity planned from the instance's own demand mix (`HoldPlanner`).
@Suite struct HoldPlannerTests {
    @Test func plannedHoldsLieInWorkingTimeThatNoBookingTakes() throws {
        let instance = try SharedFiles.instance("medium-01")
        let holds = HoldPlanner.plan(instance)
        #expect(!holds.isEmpty)
        #expect(Set(holds.map(\.id)).count == holds.count)
        for hold in holds {
            let provider = try #require(instance.providers.first { $0.id == hold.provider })
            #expect(provider.sessions.contains { $0.span.contains(hold.span) }, "\(hold.id) lies inside one of the provider's sessions")
            #expect(hold.priorities == [.urgent])
            #expect(hold.releaseMinutesBefore == HoldPlanner.Rule.chosen.releaseMinutesBefore)
            #expect(hold.span.duration % instance.granularityMinutes == 0)
        }
        // No existing booking overlaps a planned hold: the held instance passes the checker (rule 12).
        #expect(InstanceChecker.errors(in: HoldPlanner.withPlannedHolds(instance)).isEmpty)
        #expect(HoldPlanner.plan(instance, rule: HoldPlanner.Rule(share: 0)).isEmpty)
    }

    /// A replay on the held instance is a valid schedule of the instance as given, and on
    /// medium-01 (one of the public instances the rule was chosen on) a cheaper one.
    @Test func aReplayWithPlannedHoldsIsValidForTheInstanceAsGiven() throws {
        let instance = try SharedFiles.instance("medium-01")
        let plain = OnlineReplay.run(instance).solution
        let held = OnlineReplay.run(HoldPlanner.withPlannedHolds(instance)).solution
        let validator = ScheduleValidator(instance)
        let withHolds = validator.validate(held, online: true)
        #expect(withHolds.isValid)
        #expect(withHolds.cost.total < validator.validate(plain, online: true).cost.total)
    }
}
