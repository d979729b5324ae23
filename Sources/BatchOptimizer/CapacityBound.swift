import AppointmentModel
import Foundation
import Logging
import MIPModel

extension BatchOptimizer {
    /// A valid lower bound on the cost of every schedule of `instance` that counts the providers'
    /// time: the optimum of a linear program in which each request is placed, in fractions, on
    /// days and at locations, and its visit minutes are drawn, for each of its roles, from the
    /// working minutes of providers who qualify. Rooms, equipment, blocks inside sessions, patients,
    /// groups, series, holds and authorisations are dropped, and so are idle time, preference
    /// misses and moves, which are never negative: every schedule is a point of this program at a
    /// cost no higher than its own, so the program's optimum is at most the optimum's cost.
    ///
    /// Providers of one location with the same skills form a class; `cap(c, d)` is the minutes
    /// the sessions of class `c` that start on day `d` hold. For request `r` with visit length
    /// `D_r`, `y(r, ℓ, d)` is the part of `r` placed at location `ℓ` (any, for telehealth) on day
    /// `d`, and `z(r, k, c, d)` the part of role `k` that class `c` fills:
    ///
    ///     minimise   Σ_r p_r · (1 − Σ_{ℓ,d} y(r,ℓ,d))  +  Σ_{r,ℓ,d} λ(r,ℓ,d) · y(r,ℓ,d)
    ///     subject to Σ_{ℓ,d} y(r,ℓ,d) ≤ 1            (= 1 for a request with a booking: rule 10)
    ///                Σ_c z(r,k,c,d) = y(r,ℓ,d)         for every role k (classes at ℓ)
    ///                Σ_{r,k} D_r · z(r,k,c,d) ≤ cap(c,d)
    ///
    /// where `p_r` is the unscheduled penalty and `λ(r,ℓ,d)` the lead cost at the earliest start
    /// that a session of that day and location admits for every role. Only the (class, day) pairs
    /// with a session that can hold a whole visit starting in the request's window appear.
    ///
    /// Where clinics are overloaded, most of the cost is the penalties of what does not fit, and
    /// this program sees how much fits; ``relaxationBound(_:)`` does not.
    ///
    /// Two ways to it: the Lagrangian dual of the minutes rows, by subgradient steps, for up to a
    /// third of the time (each request then chooses alone at the minutes' prices; every step's
    /// value is a bound, so a bound comes in seconds even where the LP takes minutes), then the LP
    /// by GLPK, whose optimum is the relaxation's best. The higher value is returned.
    ///
    /// - Parameters:
    ///   - instance: the clinic to bound.
    ///   - timeLimit: for both; an LP that does not reach its optimum in time counts for
    ///     nothing (only an optimum is a bound), the Lagrangian's best step stands.
    ///   - solver: the LP solver (GLPK by default).
    /// - Returns: the bound; nil only when cancelled before a first Lagrangian step.
    /// - Complexity: the LP has one `y` per request, location and day it can go to, and one `z`
    ///   per role and qualified class of that day; its solve dominates. A Lagrangian step is one
    ///   pass over the `z`.
    public static func capacityBound(_ instance: Instance, timeLimit: Duration,
                                     solver: any SynchronousMIPSolver = BatchOptimizer().solver) -> Double? {
        capacityBound(index: InstanceIndex(instance), timeLimit: timeLimit, solver: solver, cancellation: OptimizerCancellation(),
                      logger: Logger(label: loggerLabel))
    }

    static func capacityBound(index: InstanceIndex, timeLimit: Duration, solver: any SynchronousMIPSolver,
                              cancellation: OptimizerCancellation, logger: Logger, target: Double? = nil) -> Double? {
        let deadline = ContinuousClock.now + timeLimit
        let program = CapacityProgram(index)
        // The Lagrangian dual first (a third of the time at most): a bound at every step, in
        // seconds even where the LP takes minutes. Then the LP, whose optimum is the best the
        // relaxation gives.
        let lagrangian = program.lagrangianBound(target: target, until: .now + timeLimit / 3, cancellation: cancellation)
        logger.debug("capacity bound: Lagrangian dual", metadata: [
            "bound": "\(lagrangian.bound)", "iterations": "\(lagrangian.iterations)", "terms": "\(program.classes.count)"])
        guard lagrangian.bound.isFinite else { return nil }
        guard deadline > .now, !cancellation.isCancelled else { return lagrangian.bound }
        let model = program.linearProgram()
        guard let result = cancellation.whileSolving(with: solver, { token in
            Self.solve(solver, model, parameters: SolveParameters(timeLimit: deadline - .now), token: token, logger: logger,
                       what: "capacity bound")
        }) else { return lagrangian.bound }
        // Only an optimum bounds the schedules; a hair below it, for the LP's rounding.
        guard result.termination == .optimal, let value = result.objective else { return lagrangian.bound }
        return max(lagrangian.bound, value - 1e-7 * max(1, abs(value)))
    }
}
