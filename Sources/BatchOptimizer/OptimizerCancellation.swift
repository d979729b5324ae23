import MIPModel
import Synchronization

/// Stops an optimisation from another thread or task: the run stops promptly (the GLPK solves in
/// flight are cancelled too; latency: `Docs/glpk-binding.md`) and returns the best schedule it has.
public final class OptimizerCancellation: Sendable {
    private struct State {
        var cancelled = false
        var solves: [ObjectIdentifier: any SolveCancellation] = [:]
    }

    private let state = Mutex(State())

    /// Creates a token that is not yet cancelled.
    public init() {}

    /// Stops the run: the GLPK solves in flight are cancelled at once and later ones start cancelled.
    /// Safe from any thread, and harmless to call again.
    public func cancel() {
        let inFlight = state.withLock { s in
            s.cancelled = true
            return Array(s.solves.values)
        }
        for token in inFlight { token.cancel() }
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Runs one GLPK solve with a token that ``cancel()`` reaches.
    func whileSolving<R>(with solver: any SynchronousMIPSolver, _ body: (any SolveCancellation) -> R) -> R {
        let token = solver.makeCancellation()
        return registering(token) { body(token) }
    }

    /// Runs one GLPK solve with a token that both this and `other` reach.
    func whileSolving<R>(with solver: any SynchronousMIPSolver, alongWith other: OptimizerCancellation,
                         _ body: (any SolveCancellation) -> R) -> R {
        let token = solver.makeCancellation()
        return registering(token) { other.registering(token) { body(token) } }
    }

    private func registering<R>(_ token: any SolveCancellation, _ body: () -> R) -> R {
        let key = ObjectIdentifier(token)
        let cancelled = state.withLock { s in
            s.solves[key] = token
            return s.cancelled
        }
        if cancelled { token.cancel() }
        defer { _ = state.withLock { $0.solves.removeValue(forKey: key) } }
        return body()
    }
}
