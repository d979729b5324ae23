import Foundation
@_spi(Testing) import GLPKBackend
import Logging
import MIPModel
import Synchronization
import Testing
import TestSupport

@Suite struct KnownOptimaTests {
    let solver = GLPKSolver()

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func knapsackReachesItsOptimum(seed: UInt64) throws {
        let (values, weights, capacity) = Models.randomKnapsack(seed: seed, items: 14, capacityShare: 1.0 / 3)
        let (model, x) = Models.knapsack(values: values, weights: weights, capacity: capacity)
        let result = try solver.solveSynchronously(model)
        #expect(result.termination == .optimal)
        #expect(result.objective == Models.bruteForceKnapsack(values: values, weights: weights, capacity: capacity))
        #expect(model.violations(of: try #require(result.values)).isEmpty)
        #expect(result.bestBound == result.objective)
        #expect(x.allSatisfy { [0.0, 1.0].contains(result.value($0)) })
    }

    /// With cutting planes on, the same proven optimum.
    @Test(arguments: [UInt64(5), 6])
    func cuttingPlanesKeepTheOptimum(seed: UInt64) throws {
        let (values, weights, capacity) = Models.randomKnapsack(seed: seed, items: 16, capacityShare: 1.0 / 3)
        let (model, _) = Models.knapsack(values: values, weights: weights, capacity: capacity)
        let result = try solver.solveSynchronously(model, parameters: SolveParameters(cuts: true))
        #expect(result.termination == .optimal)
        #expect(result.objective == Models.bruteForceKnapsack(values: values, weights: weights, capacity: capacity))
    }

    @Test func assignmentReachesItsOptimum() throws {
        var rng = SplitMix64(seed: 11)
        let cost = (0..<6).map { _ in (0..<6).map { _ in Double(rng.next() % 50) } }
        let (model, _) = Models.assignment(cost)
        let result = try solver.solveSynchronously(model)
        #expect(result.termination == .optimal)
        #expect(result.objective == Models.bruteForceAssignment(cost))
    }

    @Test func timeIndexedSchedulingReachesItsOptimum() throws {
        let durations = [3, 2, 4, 1, 2], weights = [2.0, 1, 3, 4, 1], releases = [0, 1, 0, 5, 2]
        let (model, _) = Models.timeIndexed(durations: durations, weights: weights, releases: releases, horizon: 16)
        let result = try solver.solveSynchronously(model)
        #expect(result.termination == .optimal)
        #expect(result.objective == Models.bruteForceSchedule(durations: durations, weights: weights, releases: releases))
        #expect(model.violations(of: try #require(result.values)).isEmpty)
    }

    @Test func aContinuousModelIsSolvedAsAnLP() throws {
        var m = MIPModel(sense: .maximize)
        let x = m.addVariable("x", objective: 3), y = m.addVariable("y", objective: 2)
        m.addConstraint([Term(x, 1), Term(y, 1)], .lessOrEqual(4))
        m.addConstraint([Term(x, 1), Term(y, 3)], .lessOrEqual(6))
        m.addConstraint([Term(x, 1)], .lessOrEqual(3))
        let result = try solver.solveSynchronously(m)
        #expect(result.termination == .optimal)
        #expect(abs((result.objective ?? 0) - 11) < 1e-9)
    }

    @Test func infeasibleModelsAreRecognised() throws {
        var m = MIPModel()
        let x = m.addVariable("x", kind: .integer, lowerBound: 0, upperBound: 10)
        let y = m.addVariable("y", kind: .integer, lowerBound: 0, upperBound: 10)
        m.addConstraint([Term(x, 1), Term(y, 1)], .greaterOrEqual(5))
        m.addConstraint([Term(x, 1), Term(y, 1)], .lessOrEqual(3))
        #expect(try solver.solveSynchronously(m).termination == .infeasible)
        // Integer-infeasible although the relaxation is feasible: 2x = 1.
        var n = MIPModel()
        let z = n.addVariable("z", kind: .integer, lowerBound: 0, upperBound: 5)
        n.addConstraint([Term(z, 2)], .equal(1))
        let result = try solver.solveSynchronously(n)
        #expect(result.termination == .infeasible)
        #expect(result.values == nil)
    }

    @Test func unboundedModelsAreRecognised() throws {
        var m = MIPModel(sense: .maximize)
        let x = m.addVariable("x", kind: .integer, objective: 1)
        let y = m.addVariable("y", objective: 1)
        m.addConstraint([Term(x, 1), Term(y, -1)], .lessOrEqual(2))
        #expect(try solver.solveSynchronously(m).termination == .unbounded)
    }
}

@Suite struct MisuseTests {
    @Test func invalidModelsAreRefusedBeforeGLPKSeesThem() {
        var m = MIPModel()
        let x = m.addVariable("x", lowerBound: 5, upperBound: 1)
        m.addConstraint([Term(x, .nan)], .lessOrEqual(1), name: "broken")
        m.addConstraint([Term(Variable(index: 7), 1)], .lessOrEqual(1), name: "dangling")
        #expect {
            try GLPKSolver().solveSynchronously(m)
        } throws: { error in
            guard case MIPError.invalidModel(let issues) = error else { return false }
            return issues.count == 3
        }
    }

    /// A misuse that reaches GLPK is an error, and GLPK keeps working on the same thread.
    @Test func aMisuseReachingGLPKIsAnErrorAndTheThreadRecovers() throws {
        let outcome = Mutex<[String]>([])
        let thread = Thread {
            var lines: [String] = []
            for round in 0..<3 {
                let error = GLPKSolver.provokeMisuse()
                lines.append(error.map { "\(round): \($0)" } ?? "\(round): no error")
                let (model, _) = Models.knapsack(values: [5, 4, 3], weights: [2, 3, 1], capacity: 4)
                let result = try? GLPKSolver().solveSynchronously(model)
                lines.append("\(round): \(result?.termination.rawValue ?? "failed") \(result?.objective ?? -1)")
            }
            outcome.withLock { $0 = lines }
        }
        thread.start()
        while outcome.withLock({ $0.isEmpty }) { Thread.sleep(forTimeInterval: 0.01) }
        let lines = outcome.withLock { $0 }
        #expect(lines.count == 6)
        for round in 0..<3 {
            #expect(lines[2 * round].contains("solver failure"), "\(lines)")
            #expect(lines[2 * round].lowercased().contains("row"), "\(lines)")
            #expect(lines[2 * round + 1] == "\(round): optimal 8.0")
        }
    }

    @Test func anInfeasibleWarmStartIsRefused() {
        let (model, _) = Models.knapsack(values: [5, 4, 3], weights: [2, 3, 1], capacity: 4)
        #expect {
            try GLPKSolver().solveSynchronously(model, parameters: SolveParameters(warmStart: [1, 1, 1]))
        } throws: { error in
            guard case MIPError.infeasibleWarmStart(let v) = error else { return false }
            return v.contains { $0.subject == "constraint capacity" }
        }
    }
}

@Suite struct ConcurrencyTests {
    /// Separate problems on separate threads solve concurrently and correctly.
    @Test func manySolvesInParallelAreAllCorrect() async throws {
        let results = try await withThrowingTaskGroup(of: (Double, Double).self) { group in
            for seed in 0..<24 {
                group.addTask {
                    let (values, weights, capacity) = Models.randomKnapsack(seed: UInt64(100 + seed), items: 12, capacityShare: 0.5)
                    let (model, _) = Models.knapsack(values: values, weights: weights, capacity: capacity)
                    let result = try await GLPKSolver().solve(model)
                    return (result.objective ?? -1, Models.bruteForceKnapsack(values: values, weights: weights, capacity: capacity))
                }
            }
            var all: [(Double, Double)] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 24)
        for (got, want) in results { #expect(got == want) }
    }
}

@Suite(.serialized) struct LimitsTests {
    /// A solve that the limit ends says so, with a feasible answer or none. (How closely the
    /// limit holds is measured by `Benchmarks/deadline.sh`, not asserted here.)
    @Test func theTimeLimitEndsTheSolve() throws {
        let model = Models.hard(seed: 5)
        let result = try GLPKSolver().solveSynchronously(model, parameters: SolveParameters(timeLimit: .seconds(2)))
        #expect([.timeLimitFeasible, .timeLimitNoSolution].contains(result.termination), "\(result.termination)")
        if let values = result.values { #expect(model.violations(of: values).isEmpty) }
    }

    /// Cancelling the calling task stops the solve (long before its 60 s limit) and returns the
    /// best found.
    @Test func cancellationStopsTheSolveQuickly() async throws {
        let model = Models.hard(seed: 6)
        let started = Mutex<ContinuousClock.Instant?>(nil)
        let task = Task {
            try await GLPKSolver().solve(model, parameters: SolveParameters(timeLimit: .seconds(60)))
        }
        try await Task.sleep(for: .milliseconds(1500))
        started.withLock { $0 = .now }
        task.cancel()
        let result = try await task.value
        let startedAt = try #require(started.withLock { $0 })
        let latency = ContinuousClock.now - startedAt
        #expect(result.termination == .cancelled)
        #expect(latency < .seconds(30), "\(latency)")
        if let values = result.values { #expect(model.violations(of: values).isEmpty) }
    }

    /// A solve whose token was cancelled before it started does not start: it returns at once,
    /// cancelled, with neither solution nor bound.
    @Test func aSolveCancelledBeforeItStartsDoesNothing() throws {
        let token = GLPKSolver.Cancellation()
        token.cancel()
        #expect(token.isCancelled)
        let result = try GLPKSolver().solveSynchronously(Models.hard(seed: 6), parameters: SolveParameters(timeLimit: .seconds(60)),
                                                         cancellation: token)
        #expect(result.termination == .cancelled)
        #expect(result.values == nil && result.bestBound == nil)
        #expect(result.statistics.lpIterations == 0)
    }

    /// Progress reports every improved incumbent and bound, in order.
    @Test func progressReportsIncumbentsAndBounds() throws {
        let model = Models.hard(seed: 7, items: 120, dimensions: 10)
        let events = Mutex<[SolveProgress]>([])
        let result = try GLPKSolver().solveSynchronously(model, parameters: SolveParameters(timeLimit: .seconds(3))) { p in
            events.withLock { $0.append(p) }
        }
        let seen = events.withLock { $0 }
        let incumbents = seen.filter { $0.event == .incumbent }.compactMap(\.incumbent)
        let bounds = seen.filter { $0.event == .bound }.compactMap(\.bound)
        #expect(!incumbents.isEmpty)
        #expect(zip(incumbents, incumbents.dropFirst()).allSatisfy { $0 < $1 }, "incumbents improve")
        #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 > $1 }, "bounds tighten")
        #expect(incumbents.last == result.objective)
    }

    /// A feasible warm start is taken as the first incumbent.
    @Test func aWarmStartIsTheFirstIncumbent() throws {
        let model = Models.hard(seed: 8, items: 150, dimensions: 12)
        // A feasible start: take items greedily while every dimension has room.
        var values = [Double](repeating: 0, count: model.variables.count)
        for j in values.indices {
            values[j] = 1
            if !model.violations(of: values).isEmpty { values[j] = 0 }
        }
        let warmObjective = model.objectiveValue(values)
        let events = Mutex<[SolveProgress]>([])
        let result = try GLPKSolver().solveSynchronously(
            model, parameters: SolveParameters(timeLimit: .seconds(2), warmStart: values)) { p in events.withLock { $0.append(p) } }
        let first = events.withLock { $0.first { $0.event != .bound } }
        #expect(result.warmStartAccepted)
        #expect(first?.event == .warmStart)
        #expect(first?.incumbent == warmObjective)
        #expect((result.objective ?? 0) >= warmObjective)
    }
}

@Suite struct ExportTests {
    /// The exported LP, read and solved by glpsol, has the same optimum.
    @Test(arguments: [GLPKSolver.ExportFormat.cplexLP, .freeMPS])
    func exportedModelsSolveToTheSameOptimumInGlpsol(format: GLPKSolver.ExportFormat) throws {
        let durations = [3, 2, 4, 1], weights = [2.0, 1, 3, 4], releases = [0, 1, 0, 5]
        let (model, _) = Models.timeIndexed(durations: durations, weights: weights, releases: releases, horizon: 12)
        let ours = try GLPKSolver().solveSynchronously(model)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(format == .cplexLP ? "model.lp" : "model.mps").path
        try GLPKSolver().write(model, to: file, format: format)
        let report = dir.appendingPathComponent("solution.txt").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["glpsol", format == .cplexLP ? "--lp" : "--freemps", file, "-o", report]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = try String(contentsOfFile: report, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Objective:") })
        let value = try #require(line.split(separator: " ").compactMap { Double($0) }.first)
        #expect(text.contains("INTEGER OPTIMAL"))
        #expect(value == ours.objective)
    }

    @Test func writingToAnUnwritablePlaceIsAnError() {
        let (model, _) = Models.knapsack(values: [1], weights: [1], capacity: 1)
        #expect(throws: MIPError.self) {
            try GLPKSolver().write(model, to: "/nonexistent/dir/model.lp", format: .cplexLP)
        }
    }
}

/// Collects log lines, to check where GLPK's terminal output goes.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { lines.withLock { $0.append(event.message.description) } }
}

@Suite struct LoggingTests {
    @Test func glpkOutputGoesToTheLoggerOnlyWhenAskedFor() throws {
        let (model, _) = Models.knapsack(values: [5, 4, 3, 7], weights: [2, 3, 1, 4], capacity: 6)
        let quiet = CapturingLogHandler()
        _ = try GLPKSolver(logger: Logger(label: "quiet") { _ in quiet }).solveSynchronously(model)
        #expect(quiet.lines.withLock { $0.isEmpty })
        let chatty = CapturingLogHandler()
        _ = try GLPKSolver(logger: Logger(label: "chatty") { _ in chatty })
            .solveSynchronously(model, parameters: SolveParameters(logLevel: .all))
        let lines = chatty.lines.withLock { $0 }
        #expect(lines.contains("INTEGER OPTIMAL SOLUTION FOUND"), "\(lines.prefix(20))")
    }
}

/// GLPK through the solver-neutral protocol: its own tokens work, another solver's are refused.
@Suite struct NeutralProtocolTests {
    final class ForeignToken: SolveCancellation {
        func cancel() {}
        var isCancelled: Bool { false }
    }

    @Test func aTokenFromAnotherSolverIsRefused() throws {
        let (model, _) = Models.knapsack(values: [3, 4, 5], weights: [2, 3, 4], capacity: 5)
        let solver: any SynchronousMIPSolver = GLPKSolver()
        #expect(throws: MIPError.backendFailure("the cancellation token was not made by GLPKSolver.makeCancellation()")) {
            try solver.solveSynchronously(model, parameters: SolveParameters(), progress: nil, cancellation: ForeignToken())
        }
        let result = try solver.solveSynchronously(model, parameters: SolveParameters(), progress: nil, cancellation: solver.makeCancellation())
        #expect(result.termination == .optimal)
        #expect(result.objective == 7)
    }
}

/// A model with some variables fixed at zero and taken out solves like the full model with them
/// at zero, and the relaxation bounds the model.
@Suite struct RestrictionTests {
    let solver = GLPKSolver()

    @Test(arguments: [UInt64(7), 8, 9])
    func aRestrictionSolvesLikeTheModelWithThoseItemsLeftOut(seed: UInt64) throws {
        let (values, weights, capacity) = Models.randomKnapsack(seed: seed, items: 14, capacityShare: 1.0 / 3)
        let (model, x) = Models.knapsack(values: values, weights: weights, capacity: capacity)
        let out: Set<Int> = [x[0].index, x[3].index, x[5].index]
        let restriction = try #require(model.restricted(fixingAtZero: out))
        #expect(restriction.model.variables.count == model.variables.count - out.count)
        let result = try solver.solveSynchronously(restriction.model)
        #expect(result.termination == .optimal)
        let kept = x.indices.filter { !out.contains(x[$0].index) }
        let best = Models.bruteForceKnapsack(values: kept.map { values[$0] }, weights: kept.map { weights[$0] }, capacity: capacity)
        #expect(result.objective == best)
        let full = restriction.expand(try #require(result.values))
        #expect(model.violations(of: full).isEmpty)
        #expect(out.allSatisfy { full[$0] == 0 })
        #expect(model.objectiveValue(full) == best)
        #expect(restriction.restrict(full) == result.values)
    }

    /// Variables marked to branch first change the search's path, not its answer: knapsacks with
    /// every third item marked reach the brute-force optimum (without presolve, where the marks
    /// apply, and with it, where they do not), and a restriction keeps the marks.
    @Test(arguments: [UInt64(12), 13, 14])
    func markedVariablesBranchFirstAndTheOptimumStays(seed: UInt64) throws {
        let (values, weights, capacity) = Models.randomKnapsack(seed: seed, items: 18, capacityShare: 1.0 / 3)
        let (plain, x) = Models.knapsack(values: values, weights: weights, capacity: capacity)
        var model = MIPModel(name: "marked", sense: plain.sense)
        for (j, v) in plain.variables.enumerated() {
            model.addVariable(v.name, kind: v.kind, lowerBound: v.lowerBound, upperBound: v.upperBound, objective: v.objective,
                              branchesFirst: j % 3 == 0)
        }
        for row in plain.constraints { model.addConstraint(row.terms, .range(row.lowerBound, row.upperBound), name: row.name) }
        let best = Models.bruteForceKnapsack(values: values, weights: weights, capacity: capacity)
        for presolve in [false, true] {
            let result = try solver.solveSynchronously(model, parameters: SolveParameters(presolve: presolve))
            #expect(result.termination == .optimal)
            #expect(abs((result.objective ?? -1) - best) < 1e-9)
            #expect(model.violations(of: try #require(result.values)).isEmpty)
        }
        let restriction = try #require(model.restricted(fixingAtZero: [x[1].index]))
        #expect(restriction.model.variables.map(\.branchesFirst) == model.variables.indices.filter { $0 != x[1].index }.map { $0 % 3 == 0 })
    }

    @Test func aRestrictionThatBreaksARowIsRefused() {
        var model = MIPModel()
        let a = model.addVariable("a", kind: .binary), b = model.addVariable("b", kind: .binary)
        model.addConstraint([Term(a, 1), Term(b, 1)], .greaterOrEqual(1))
        #expect(model.restricted(fixingAtZero: [a.index]) != nil)
        #expect(model.restricted(fixingAtZero: [a.index, b.index]) == nil)
        let fixedAtOne = { var m = MIPModel(); let c = m.addVariable("c", lowerBound: 1, upperBound: 2); _ = c; return m }()
        #expect(fixedAtOne.restricted(fixingAtZero: [0]) == nil)
    }

    @Test(arguments: [UInt64(10), 11])
    func theRelaxationBoundsTheModel(seed: UInt64) throws {
        let (values, weights, capacity) = Models.randomKnapsack(seed: seed, items: 14, capacityShare: 1.0 / 3)
        let (model, _) = Models.knapsack(values: values, weights: weights, capacity: capacity)
        let relaxation = model.relaxation()
        #expect(relaxation.variables.allSatisfy { $0.kind == .continuous })
        let lp = try #require(try solver.solveSynchronously(relaxation).objective)
        let integer = Models.bruteForceKnapsack(values: values, weights: weights, capacity: capacity)
        #expect(lp >= integer - 1e-9)  // a maximisation: the relaxation is above
        #expect(lp < values.reduce(0, +))  // the capacity binds
    }
}
