import AppointmentModel
@testable import BatchOptimizer
import GLPKBackend
import MIPModel
@_spi(Optimizer) import RealTimeBooking
import Testing
import TestSupport

/// The integer program against the spec: what it prices, what it allows, what it proves.
@Suite struct FormulationTests {
    /// The state of `solution` in a booking engine.
    static func engine(_ instance: Instance, _ solution: Solution) -> BookingEngine {
        var engine = BookingEngine(instance)
        for a in solution.assignments {
            guard let r = engine.index.request[a.request] else { continue }
            try? engine.placeForOptimizer(r, a)
        }
        return engine
    }

    /// The whole model of a generated clinic (groups, series, two roles, equipment, rooms of a
    /// kind), solved from the greedy schedule: the schedule it yields is valid, and its cost
    /// differs from the start's by exactly what the objective differs (idle, lead, preference and
    /// unscheduled penalties priced as the spec prices them).
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func theModelPricesSchedulesAsTheSpecDoes(seed: UInt64) throws {
        let instance = ClinicGenerator.make(seed: seed, requests: 16)
        let start = Self.engine(instance, PriorityGreedy.run(instance))
        let index = start.index
        let everything = Neighbourhood(kind: .day, location: nil, day: instance.horizon)
        let free = everything.freeRequests(engine: start, limit: .max)
        let sub = try #require(Subproblem.build(state: start, free: free, candidatesPerRequest: 0, exhaustive: true))
        let result = try GLPKSolver().solveSynchronously(sub.model, parameters: SolveParameters(timeLimit: .seconds(30), warmStart: sub.warmStart))
        let values = try #require(result.values)
        let objective = try #require(result.objective)
        let solved = try #require(sub.schedule(values, on: start))
        let report = ScheduleValidator(index).validate(solved.solution())
        #expect(report.isValid, "seed \(seed): \(report.violations.prefix(3))")
        let before = CostEvaluator.cost(of: start.solution(), index: index).total
        #expect(abs((report.cost.total - before) - (objective - sub.warmObjective)) < 1e-6,
                "seed \(seed): cost \(before) → \(report.cost.total), objective \(sub.warmObjective) → \(objective)")
        #expect(objective <= sub.warmObjective + 1e-9)
    }

    /// The warm start is the current schedule: feasible, and priced like it.
    @Test(arguments: [7, 8, 9] as [UInt64])
    func theWarmStartIsTheCurrentSchedule(seed: UInt64) throws {
        let instance = ClinicGenerator.make(seed: seed, requests: 24)
        let start = Self.engine(instance, PriorityGreedy.run(instance))
        let hood = Neighbourhood(kind: .window, location: instance.locations[0].id, day: TimeSpan(start: 0, end: 1440),
                                 window: TimeSpan(start: 8 * 60, end: 11 * 60))
        let free = hood.freeRequests(engine: start, limit: 12)
        let sub = try #require(Subproblem.build(state: start, free: free, candidatesPerRequest: 8, focus: hood))
        #expect(sub.model.violations(of: sub.warmStart).isEmpty)
        let same = try #require(sub.schedule(sub.warmStart, on: start))
        #expect(CostEvaluator.cost(of: same.solution(), index: start.index).total
                == CostEvaluator.cost(of: start.solution(), index: start.index).total)
    }
}
