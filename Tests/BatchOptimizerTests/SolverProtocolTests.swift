import AppointmentModel
import BatchOptimizer
import GLPKBackend
import MIPModel
import Synchronization
import Testing
import TestSupport

/// The optimiser works through the solver-neutral `SynchronousMIPSolver` protocol: any solver
/// that implements it can be given, and one that fails never costs the schedule.
@Suite struct SolverProtocolTests {
    /// GLPK behind a wrapper that counts the solves and the tokens it made.
    final class Counting: SynchronousMIPSolver {
        let inner = GLPKSolver()
        let solves = Mutex(0)
        let tokens = Mutex(0)

        func makeCancellation() -> any SolveCancellation {
            tokens.withLock { $0 += 1 }
            return inner.makeCancellation()
        }

        func solveSynchronously(_ model: MIPModel, parameters: SolveParameters, progress: (@Sendable (SolveProgress) -> Void)?,
                                cancellation: (any SolveCancellation)?) throws(MIPError) -> SolveResult {
            solves.withLock { $0 += 1 }
            return try inner.solveSynchronously(model, parameters: parameters, progress: progress, cancellation: cancellation)
        }

        func solve(_ model: MIPModel, parameters: SolveParameters,
                   progress: (@Sendable (SolveProgress) -> Void)?) async throws(MIPError) -> SolveResult {
            try await inner.solve(model, parameters: parameters, progress: progress)
        }

        func writeFreeMPS(_ model: MIPModel, to path: String) throws(MIPError) { try inner.writeFreeMPS(model, to: path) }
    }

    /// A solver that fails every solve (a backend that is missing, a licence that expired).
    struct Failing: SynchronousMIPSolver {
        final class Token: SolveCancellation {
            let flag = Mutex(false)
            func cancel() { flag.withLock { $0 = true } }
            var isCancelled: Bool { flag.withLock { $0 } }
        }

        func makeCancellation() -> any SolveCancellation { Token() }
        func solveSynchronously(_ model: MIPModel, parameters: SolveParameters, progress: (@Sendable (SolveProgress) -> Void)?,
                                cancellation: (any SolveCancellation)?) throws(MIPError) -> SolveResult {
            throw .backendFailure("no solver here")
        }
        func solve(_ model: MIPModel, parameters: SolveParameters,
                   progress: (@Sendable (SolveProgress) -> Void)?) async throws(MIPError) -> SolveResult {
            throw .backendFailure("no solver here")
        }
        func writeFreeMPS(_ model: MIPModel, to path: String) throws(MIPError) { throw .backendFailure("no solver here") }
    }

    @Test func anySynchronousSolverCanBeGiven() throws {
        let instance = try SharedFiles.instance("medium-01")
        let solver = Counting()
        let parameters = OptimizerParameters.budgeted(nodes: 100, neighbourhoods: 8, seed: 2, timeLimit: .seconds(30))
        let result = try BatchOptimizer(solver: solver).optimize(instance, parameters: parameters)
        #expect(solver.solves.withLock { $0 } >= 8)
        #expect(solver.tokens.withLock { $0 } == solver.solves.withLock { $0 })
        #expect(result.improvements > 0)
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
    }

    @Test func aSolverThatFailsLeavesTheStartAsItIs() throws {
        let instance = try SharedFiles.instance("small-02")
        var parameters = OptimizerParameters.budgeted(nodes: 100, neighbourhoods: 8, seed: 2, timeLimit: .seconds(30))
        parameters.exactRequestLimit = 0
        let result = try BatchOptimizer(solver: Failing()).optimize(instance, parameters: parameters)
        #expect(result.neighbourhoods >= 8)
        #expect(result.cost.total <= result.startCost.total + 1e-9)
        #expect(ScheduleValidator(instance).validate(result.solution).isValid)
    }
}
