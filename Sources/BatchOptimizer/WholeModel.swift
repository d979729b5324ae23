import AppointmentModel
import Foundation
import MIPModel
import Synchronization
import RealTimeBooking

// Small instances: every movable request and every feasible placement in one model, solved to a
// proof or a bound beside or after the neighbourhood search.
extension BatchOptimizer {
    /// Whole models up to this many variables are solved twice at once (with and without cuts)
    /// instead of beside the neighbourhood search (model sizes: `Docs/batch-formulation.md`).
    static let twinSolveVariableLimit = 20_000
    /// ... and only with this much time left: with less, one solve beside the neighbourhood search
    /// does better and ends in time (figures: `Docs/batch-formulation.md`, *Which models*).
    static let twinSolveMinimumTime = Duration.seconds(40)
    /// The part of the time the neighbourhood search gets before the twin solves: a larger share
    /// leaves the twins too little time for their proofs (figures: `Docs/batch-formulation.md`).
    static let searchShareBeforeTwins = 0.05
    /// The most of the time the relaxation-guided models get before the search, when one solve of
    /// the whole model runs beside it.
    static let relaxationGuidedShare = 0.15

    /// The whole-instance model: every movable request with every feasible placement.
    struct WholeModel {
        var sub: Subproblem
        var free: [Int]
        /// Whether the model holds every request that can change (then its bound is the instance's).
        var exact: Bool
        /// The spec's cost minus the model's objective, for any schedule (the fixed part).
        var constant: Double
    }

    /// The whole model of `search`'s instance from its current schedule, when it fits.
    func wholeModel(_ search: Search) -> WholeModel? {
        let index = search.index
        let instance = index.instance
        let everything = Neighbourhood(kind: .day, location: nil, day: instance.horizon)
        let free = everything.freeRequests(engine: search.engine, limit: .max)
        guard var sub = Subproblem.build(state: search.engine, free: free, candidatesPerRequest: 0, exhaustive: true),
              sub.model.variables.count <= 60_000 else { return nil }
        // Whether a request is placed decides more than where: GLPK branches on that first, and
        // tries placing it first (small-02's proof: 47 s without, 10 s with; figures in
        // `Docs/batch-formulation.md`, *Branching on placement first*).
        for u in sub.unscheduled.values { sub.model.setBranchesFirst(u) }
        let now = instance.usesVersion2Rules ? instance.decisionTime : Int.min
        let movable = instance.requests.indices.filter {
            index.isFirstRequest[$0] && instance.requests[$0].current.map { !$0.pinned && $0.start >= now } ?? true
        }
        // The objective differs from the spec's cost by a constant, which the current schedule
        // (the model's warm start) measures.
        return WholeModel(sub: sub, free: free, exact: sub.isComplete && free.count == movable.count,
                          constant: search.bestCost.total - sub.warmObjective)
    }

    func export(_ model: MIPModel, to path: String) {
        do throws(MIPError) {
            try solver.writeFreeMPS(model, to: path)
        } catch {
            logger.error("cannot export the whole model", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// While GLPK works on a complete whole model, its bound (shifted by the constant) is a bound
    /// on the instance: reported in the progress events.
    static func boundReporter(_ search: Search, _ whole: WholeModel) -> (@Sendable (SolveProgress) -> Void)? {
        guard whole.exact, let relay = search.progress else { return nil }
        let constant = whole.constant
        return { event in
            guard event.event == .bound, let bound = event.bound else { return }
            relay.improveBound(bound + constant)
        }
    }

    /// Applies the whole model's schedule when it is cheaper than the current one, and returns
    /// the highest proven lower bound on the instance so far when the model was complete.
    ///
    /// The model's free requests are every movable request, so its schedule replaces the
    /// current one whatever the neighbourhood search did meanwhile.
    func finishWhole(_ search: inout Search, _ whole: WholeModel, result: SolveResult?) -> Double? {
        search.neighbourhoods += 1
        guard let result else { return search.bound }
        logger.debug("whole model solved", metadata: [
            "free": "\(whole.free.count)", "variables": "\(whole.sub.model.variables.count)",
            "rows": "\(whole.sub.model.constraints.count)", "objective": "\(result.objective.map { "\($0)" } ?? "none")",
            "termination": "\(result.termination)", "bound": "\(result.bestBound.map { "\($0)" } ?? "none")",
        ])
        if let values = result.values { _ = search.apply(whole.sub, values: values) }
        guard whole.exact, let bound = result.bestBound else { return search.bound }
        // A bound from an earlier solve of the same model may be higher: keep the highest.
        let proven = (result.termination == .optimal ? result.objective ?? bound : bound) + whole.constant
        search.raiseBound(to: proven)
        search.progress?.report(OptimizerEvent(elapsed: ContinuousClock.now - search.begin, cost: search.bestCost,
                                        neighbourhoods: search.neighbourhoods, improvements: search.improvements, bound: search.bound))
        return search.bound
    }

    /// Solves the whole model of a small instance, beside or after the neighbourhood search,
    /// until `deadline`: the cheapest schedule found becomes `search`'s. Returns the highest
    /// proven lower bound on the instance, when the model is complete.
    func solveWhole(_ whole: WholeModel, _ search: inout Search, parameters: OptimizerParameters,
                    until deadline: ContinuousClock.Instant, cancellation: OptimizerCancellation) -> Double? {
        var exactBound: Double?
        if let path = parameters.wholeModelExport { export(whole.sub.model, to: path) }
        let model = whole.sub.model, solver = self.solver
        let left = deadline - .now
        let nodeLimit = parameters.nodeLimit.map { $0 * 50 }
        let report = Self.boundReporter(search, whole)
        if left >= Self.twinSolveMinimumTime && model.variables.count <= Self.twinSolveVariableLimit {
            // First a short proof attempt (tiny models close at once); then a twentieth of the
            // time for the neighbourhood search on both cores, which finds good schedules fast; then
            // two cold solves of the model, one per core, for the rest: one presolved with GLPK's
            // cuts (a higher bound, better schedules on some instances: small-01), one branching
            // on placement first (proofs: small-02 in 13 s against 43 s). The first proof stops the other; the
            // cheapest schedule wins and the highest bound is kept. A budgeted run skips the
            // timed attempt and lets the search use its budget, so that time decides nothing.
            let budgeted = parameters.nodeLimit != nil && parameters.maxNeighbourhoods != nil
            var proven = false
            if !budgeted {
                let quick = cancellation.whileSolving(with: solver) { token in
                    Self.solve(solver, model, parameters: SolveParameters(timeLimit: min(left, .seconds(1)), presolve: true),
                               progress: report, token: token, logger: logger, what: "whole (quick)")
                }
                exactBound = finishWhole(&search, whole, result: quick)
                proven = quick?.termination == .optimal
            }
            if !proven {
                let searchEnd = budgeted ? deadline : .now + (deadline - .now) * Self.searchShareBeforeTwins
                // A one-model instance is small: its neighbourhoods overlap most of the time,
                // and waiting would leave a thread idle for most of this short search.
                searchNeighbourhoods(&search, parameters: parameters, until: searchEnd, overlapping: true)
                search.exhausted = false  // the whole model's solves go on to the deadline
                let rest = deadline - .now
                let twins = OptimizerCancellation()
                let slots = ResultSlots(count: 2)
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    // One twin branches on placement first (no presolve: it renumbers the
                    // columns the marks name), the other presolves and cuts.
                    let twin = SolveParameters(timeLimit: rest, presolve: k == 1, cuts: k == 1, nodeLimit: nodeLimit)
                    let result = cancellation.whileSolving(with: solver, alongWith: twins) { token in
                        Self.solve(solver, model, parameters: twin, progress: report, token: token, logger: logger, what: "whole")
                    }
                    slots.set(k, result)
                    // A budgeted run does not stop at the proof: when that comes depends on the machine.
                    if result?.termination == .optimal, !budgeted { twins.cancel() }
                }
                for result in slots.all { exactBound = finishWhole(&search, whole, result: result) }
            }
        } else {
            // From the current schedule, without presolve (it would renumber the columns that
            // branch first, and it runs outside GLPK's time limit: see the toolchain facts).
            let finished = OptimizerCancellation()
            let slot = ResultSlots(count: 1)
            let group = DispatchGroup()
            let solveParameters = SolveParameters(timeLimit: left, warmStart: whole.sub.warmStart, nodeLimit: nodeLimit)
            DispatchQueue.global().async(group: group) { [cancellation, logger] in
                let result = cancellation.whileSolving(with: solver) { token in
                    Self.solve(solver, model, parameters: solveParameters, progress: report, token: token, logger: logger, what: "whole")
                }
                slot.set(0, result)
                if result?.termination == .optimal { finished.cancel() }
            }
            // The relaxation-guided model first: it finds the rearrangements of a whole day that
            // the neighbourhoods miss (small-01 at 30 s: 6,994.95 without it; figures:
            // `Docs/batch-formulation.md`). Not in a budgeted run, which time must not decide.
            if parameters.nodeLimit == nil {
                let end = ContinuousClock.now + (deadline - .now) * Self.relaxationGuidedShare
                while relaxationGuidedSolve(&search, until: end, cancellation: cancellation) {}
            }
            var lns = parameters
            lns.parallelNeighbourhoods = 1
            let afterRINS = search
            // A budgeted run does not stop at the proof: when that comes depends on the machine.
            searchNeighbourhoods(&search, parameters: lns, until: deadline, stop: parameters.nodeLimit == nil ? finished : nil)
            restartWhileStuck(&search, from: afterRINS, parameters: lns, until: deadline, stop: finished)
            search.exhausted = false  // the whole model's solve goes on until it proves or the deadline comes
            group.wait()
            exactBound = finishWhole(&search, whole, result: slot.all[0])
        }
        return exactBound
    }

    /// When the search ends in a local optimum before the deadline, other trajectories from
    /// `start` (new seeds, so other neighbourhoods in another order) use the time left; the
    /// cheapest schedule is kept. Not in a budgeted run. (small-01 at 30 s, seeds 1–4: 6,479.44,
    /// 6,404.78, 6,731.77, 6,791.33 against 6,479.44, 6,429.72, 7,095.25, 6,629.65 without;
    /// figures in `Docs/batch-formulation.md`.)
    func restartWhileStuck(_ search: inout Search, from start: Search, parameters: OptimizerParameters,
                           until deadline: ContinuousClock.Instant, stop: OptimizerCancellation) {
        guard parameters.nodeLimit == nil else { return }
        var restart: UInt64 = 0
        while search.exhausted, !stop.isCancelled, !search.cancellation.isCancelled, deadline - .now > .seconds(2) {
            restart += 1
            var other = Search(engine: start.engine, bestCost: start.bestCost, index: search.index, validator: search.validator,
                               begin: search.begin, cancellation: search.cancellation, progress: nil)
            var seeded = parameters
            seeded.seed = parameters.seed &+ restart &* 0x9E37_79B9_7F4A_7C15
            searchNeighbourhoods(&other, parameters: seeded, until: deadline, stop: stop)
            search.neighbourhoods += other.neighbourhoods
            search.exhausted = other.exhausted
            logger.debug("restart ended", metadata: ["restart": "\(restart)", "cost": "\(other.bestCost.total)",
                                                     "best": "\(search.bestCost.total)"])
            _ = search.keep(other.engine)
        }
    }

    /// Relaxation-induced neighbourhood search (RINS, after Danna, Rothberg and Le Pape, 2005) on
    /// the whole model of the current schedule: the linear relaxation is solved, every placement
    /// that neither it nor the current schedule uses is fixed out, and the much smaller model left
    /// is solved from the current schedule until `deadline`. The relaxation sees the whole day
    /// at once, so this finds the rearrangements that free a place for a waiting request across
    /// many providers and rooms, which no neighbourhood of a few requests holds.
    ///
    /// - Returns: whether the schedule got cheaper.
    @discardableResult
    func relaxationGuidedSolve(_ search: inout Search, until deadline: ContinuousClock.Instant,
                               cancellation: OptimizerCancellation) -> Bool {
        guard let whole = wholeModel(search), deadline > .now else { return false }
        let solver = self.solver, logger = self.logger
        let relaxation = whole.sub.model.relaxation()
        guard let lp = cancellation.whileSolving(with: solver, { token in
            Self.solve(solver, relaxation, parameters: SolveParameters(timeLimit: deadline - .now), token: token,
                       logger: logger, what: "whole (relaxation)")
        }), let point = lp.values else { return false }
        // The relaxation of a model that holds every request that can change bounds the instance.
        if whole.exact, lp.termination == .optimal, let objective = lp.objective {
            search.raiseBound(to: objective + whole.constant)
        }
        var out = Set<Int>(), placements = 0
        for (j, variable) in whole.sub.model.variables.enumerated() where variable.kind != .continuous {
            placements += 1
            if point[j] <= 1e-6 && whole.sub.warmStart[j] < 0.5 { out.insert(j) }
        }
        // GLPK's own branching: the restricted model closes in under a second with it, and takes
        // seconds with placement first (small-01: 0.8 s against 4.5 s).
        var unmarked = whole.sub.model
        for u in whole.sub.unscheduled.values { unmarked.setBranchesFirst(u, false) }
        guard deadline > .now, let restriction = unmarked.restricted(fixingAtZero: out),
              let result = cancellation.whileSolving(with: solver, { token in
                  Self.solve(solver, restriction.model,
                             parameters: SolveParameters(timeLimit: deadline - .now, warmStart: restriction.restrict(whole.sub.warmStart)),
                             token: token, logger: logger, what: "whole (relaxation-guided)")
              }), let restrictedValues = result.values else { return false }
        let values = restriction.expand(restrictedValues)
        let kept = placements - out.count  // binary variables left free
        search.neighbourhoods += 1
        let better = search.apply(whole.sub, values: values)
        logger.debug("relaxation-guided model solved", metadata: [
            "kept": "\(kept)", "variables": "\(whole.sub.model.variables.count)", "rows": "\(restriction.model.constraints.count)",
            "termination": "\(result.termination)",
            "relaxation": "\(lp.objective.map { "\($0)" } ?? "none")", "kept-schedule": "\(better)"])
        return better
    }

    /// Results written by concurrent solves.
    final class ResultSlots: Sendable {
        private let slots: Mutex<[SolveResult?]>
        init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }
        func set(_ i: Int, _ r: SolveResult?) { slots.withLock { $0[i] = r } }
        var all: [SolveResult?] { slots.withLock { $0 } }
    }
}
