import AppointmentModel
import MIPModel
import RealTimeBooking

extension BatchOptimizer {
    /// Re-places the `free` requests of `state` by one integer program, everything else fixed:
    /// booked ones may move (paying their move cost), waiting ones may be booked (saving their
    /// penalty). The model is a neighbourhood of the nightly search (`Docs/batch-formulation.md`),
    /// warm-started from `state`.
    ///
    /// With a `window`, every feasible placement of each free request with its visit inside the
    /// window is a candidate (as in the search's narrow neighbourhoods); without one, the
    /// `candidatesPerRequest` best-fit placements over its whole window.
    ///
    /// Runs on the calling thread (GLPK's problem never leaves it) within `timeLimit`, the root
    /// LP included.
    ///
    /// - Returns: the new state when the program found one strictly cheaper than `state` by the
    ///   spec's cost; nil otherwise, and when the solver fails (the caller keeps `state`).
    package func reoptimize(_ state: BookingEngine, free: [Int], window: TimeSpan? = nil, timeLimit: Duration,
                           candidatesPerRequest: Int = 12) -> BookingEngine? {
        let focus = window.map { Neighbourhood(kind: .window, location: nil, day: $0, window: $0) }
        guard !free.isEmpty, timeLimit > .zero,
              let sub = Subproblem.build(state: state, free: free, candidatesPerRequest: candidatesPerRequest, focus: focus) else { return nil }
        let parameters = SolveParameters(timeLimit: timeLimit, warmStart: sub.warmStart)
        let result: SolveResult
        do { result = try solver.solveSynchronously(sub.model, parameters: parameters, progress: nil, cancellation: nil) } catch {
            logger.warning("repair model not solved", metadata: ["error": "\(error)"])
            return nil
        }
        guard let values = result.values, let objective = result.objective, objective < sub.warmObjective - 1e-6,
              let trial = sub.schedule(values, on: state) else { return nil }
        let index = state.index
        let before = CostEvaluator.cost(of: state.solution(), index: index).total
        let after = CostEvaluator.cost(of: trial.solution(), index: index).total
        return after < before - 1e-9 ? trial : nil
    }
}
