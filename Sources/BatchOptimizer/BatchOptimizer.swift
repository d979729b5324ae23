import AppointmentModel
import Foundation
import GLPKBackend
import Logging
import MIPModel
import Synchronization
@_spi(Optimizer) import RealTimeBooking

public struct OptimizerParameters: Sendable, Hashable {
    /// Wall-clock limit for the whole run.
    public var timeLimit: Duration
    /// Orders the neighbourhoods; the same input and seed visit them in the same order.
    public var seed: UInt64
    /// Candidate placements generated per free request.
    public var candidatesPerRequest: Int
    /// Free requests per neighbourhood (the rest of the neighbourhood stays fixed).
    public var maxFreeRequests: Int
    /// Time limit of one neighbourhood's solve (narrow kinds get half). Short limits pay: most
    /// neighbourhoods solve to optimality in well under it, and a solve that reaches it seldom
    /// improves the schedule (Docs/batch-formulation.md, *Figures*: 1 s against 5 s lowered
    /// medium-02-dst at 60 s from 59,595 to 55,174).
    public var neighbourhoodTimeLimit: Duration
    /// Instances with at most this many requests are also solved as one model over every
    /// feasible placement: after a short search, on both cores at once (with and without cuts),
    /// or, when time is short or the model large, on one core beside the neighbourhood search.
    public var exactRequestLimit: Int = 80
    /// Neighbourhoods solved at the same time, each on a thread of its own (one per core).
    public var parallelNeighbourhoods: Int = 2
    /// Branch-and-bound nodes per neighbourhood (50 times as many for the whole model of a small
    /// instance), as well as the time limits. Nil: time limits only.
    public var nodeLimit: Int?
    /// Neighbourhoods per run, at most. Nil: until the time limit or a local optimum.
    ///
    /// With `nodeLimit` and a time limit that neither cuts, a run is reproducible: the same
    /// instance, start and seed give the same schedule on any machine. Time limits alone stop
    /// solves wherever the machine's speed has brought them.
    public var maxNeighbourhoods: Int?
    /// Where to write the whole-instance model of a small instance (free MPS) before it is
    /// solved, for another solver; a failure to write is logged and the run goes on.
    public var wholeModelExport: String?

    public init(timeLimit: Duration = .seconds(60), seed: UInt64 = 1, candidatesPerRequest: Int = 12,
                maxFreeRequests: Int = 36, neighbourhoodTimeLimit: Duration = .seconds(1)) {
        self.timeLimit = timeLimit
        self.seed = seed
        self.candidatesPerRequest = candidatesPerRequest
        self.maxFreeRequests = maxFreeRequests
        self.neighbourhoodTimeLimit = neighbourhoodTimeLimit
    }
}

/// Reported after every improvement, and once at the start.
public struct OptimizerEvent: Sendable, Hashable {
    public var elapsed: Duration
    /// The best schedule's cost so far, with its parts.
    public var cost: CostBreakdown
    public var neighbourhoods: Int
    public var improvements: Int
    /// A proven lower bound on any schedule's cost, when known (while and after a small
    /// instance's whole model is solved).
    public var bound: Double?
}

public struct OptimizationResult: Sendable {
    public var solution: Solution
    public var cost: CostBreakdown
    /// The cost of the schedule the run started from.
    public var startCost: CostBreakdown
    public var wallTime: Duration
    public var neighbourhoods: Int
    public var improvements: Int
    /// A proven lower bound on the optimum, when known (nil: the neighbourhood search proves none).
    public var bound: Double?
}

public enum OptimizerError: Error, Sendable, CustomStringConvertible {
    case invalidInstance([InstanceIssue])
    case invalidStart([Violation])

    public var description: String {
        switch self {
        case .invalidInstance(let issues): "the instance is invalid: " + issues.prefix(5).map(\.description).joined(separator: "; ")
        case .invalidStart(let v): "the start solution is invalid: " + v.prefix(5).map(\.description).joined(separator: "; ")
        }
    }
}

/// The nightly job: improves a complete schedule neighbourhood by neighbourhood (a location and
/// a day at a time), each solved as an integer program through GLPK with everything else fixed,
/// warm-started from the current schedule. An improvement is kept only when the whole schedule,
/// priced by the spec's cost, is cheaper; so the result never costs more than its start.
///
/// Not yet done (see the issue notes): no lower bound is proven except for small instances
/// solved whole.
public struct BatchOptimizer: Sendable {
    public var solver: GLPKSolver
    /// Each neighbourhood and the whole model, at debug level (sizes, objective, termination).
    public var logger: Logger

    public init(solver: GLPKSolver = GLPKSolver(), logger: Logger = Logger(label: "AppointmentOptimizer.Batch")) {
        self.solver = solver
        self.logger = logger
    }

    /// Optimises `instance` from `start` (default: the cheapest of the existing bookings, the
    /// priority-ordered greedy and the best-fit online replay), within `parameters.timeLimit`.
    ///
    /// - Parameters:
    ///   - cancellation: stops the run early; it then returns the best schedule so far.
    ///   - progress: called after every improvement and every better bound, possibly from two
    ///     threads at once (the search's and GLPK's on a small instance); keep it short.
    public func optimize(_ instance: Instance, start: Solution? = nil, parameters: OptimizerParameters = OptimizerParameters(),
                         cancellation: OptimizerCancellation? = nil,
                         progress: (@Sendable (OptimizerEvent) -> Void)? = nil) throws(OptimizerError) -> OptimizationResult {
        let cancellation = cancellation ?? OptimizerCancellation()
        let clock = ContinuousClock()
        let begin = clock.now
        let errors = InstanceChecker.errors(in: instance)
        guard errors.isEmpty else { throw .invalidInstance(errors) }
        let index = InstanceIndex(instance)
        let validator = ScheduleValidator(index)

        // The start: given, or the cheaper of the existing bookings and the greedy replay.
        let startSolution: Solution
        if let start {
            let report = validator.validate(start)
            guard report.isValid else { throw .invalidStart(report.violations) }
            startSolution = start
        } else {
            let candidates = [Solution.baseline(of: instance), PriorityGreedy.run(instance), OnlineReplay.run(instance).solution]
            startSolution = candidates.min { CostEvaluator.cost(of: $0, index: index).total < CostEvaluator.cost(of: $1, index: index).total }!
        }
        var engine = BookingEngine(index: index)
        for a in startSolution.assignments {
            guard let r = index.request[a.request], instance.requests[r].current == nil else { continue }
            try? engine.placeForOptimizer(r, Placement(request: a.request, providers: a.providers, room: a.room, start: a.start))
        }
        for a in startSolution.assignments {  // moved existing bookings
            guard let r = index.request[a.request], let c = instance.requests[r].current,
                  c.start != a.start || c.providers != a.providers || c.room != a.room else { continue }
            try? engine.cancelForOptimizer(r)
            try? engine.placeForOptimizer(r, Placement(request: a.request, providers: a.providers, room: a.room, start: a.start))
        }
        let validationStarted = clock.now
        let startCost = validator.validate(startSolution).cost
        // Time is kept at the end for the reasons of what stays unscheduled and the final
        // validation (and for the validation of an improvement found just before the deadline):
        // 2 % of the limit (at most 2 s), or three times what validating the start took when that
        // is more (a debug build, a loaded machine), but never more than a quarter of the limit.
        let finish = min(max(min(parameters.timeLimit / 50, .seconds(2)), (clock.now - validationStarted) * 3),
                         parameters.timeLimit / 4)
        let deadline = begin + parameters.timeLimit - finish
        var bestCost = CostEvaluator.cost(of: engine.solution(), index: index)
        if bestCost.total > startCost.total + 1e-9 {  // the state does not reproduce the start
            engine = BookingEngine(index: index)
            bestCost = CostEvaluator.cost(of: engine.solution(), index: index)
        }
        var search = Search(engine: engine, bestCost: bestCost, index: index, validator: validator, begin: begin,
                            cancellation: cancellation, progress: progress.map { ProgressRelay(begin: begin, $0) })
        search.progress?.report(OptimizerEvent(elapsed: clock.now - begin, cost: bestCost, neighbourhoods: 0, improvements: 0, bound: nil))

        // Small instances: one model over every feasible placement of every movable request,
        // solved from scratch (presolved) for the whole time, proves the optimum or finds a
        // schedule: on both cores (with and without cuts) when it is of a size GLPK handles,
        // else on one core beside the neighbourhood search; the cheapest schedule wins.
        var exactBound: Double?
        if instance.requests.count <= parameters.exactRequestLimit, let whole = wholeModel(search) {
            if let path = parameters.wholeModelExport { export(whole.sub.model, to: path) }
            let model = whole.sub.model, solver = self.solver
            // GLPK's presolve and root LP run outside its time limit (see the toolchain facts):
            // with little time, the model starts from the current schedule without presolve.
            let left = deadline - .now
            let presolve = left >= .seconds(10)
            let nodeLimit = parameters.nodeLimit.map { $0 * 50 }
            let report = Self.boundReporter(search, whole)
            if presolve && model.variables.count <= Self.twinSolveVariableLimit {
                // First a short proof attempt (tiny models close at once); then a tenth of the time
                // for the neighbourhood search on both cores, which finds good schedules fast; then
                // two cold solves of the model, one per core, for the rest: with GLPK's cuts (a
                // higher bound, better schedules on some instances) and without (more nodes per
                // second, so some proofs come sooner). The first proof stops the other; the
                // cheapest schedule wins and the highest bound is kept. A budgeted run skips the
                // timed attempt and lets the search use its budget, so that time decides nothing.
                let budgeted = parameters.nodeLimit != nil && parameters.maxNeighbourhoods != nil
                var proven = false
                if !budgeted {
                    let quick = cancellation.whileSolving { token in
                        try? solver.solveSynchronously(model, parameters: SolveParameters(timeLimit: min(left, .seconds(1)), presolve: true),
                                                       progress: report, cancellation: token)
                    }
                    exactBound = finishWhole(&search, whole, result: quick)
                    proven = quick?.termination == .optimal
                }
                if !proven {
                    let searchEnd = budgeted ? deadline : .now + (deadline - .now) * Self.searchShareBeforeTwins
                    // A one-model instance is small: its neighbourhoods overlap most of the time,
                    // and waiting would leave a thread idle for most of this short search.
                    searchNeighbourhoods(&search, parameters: parameters, until: searchEnd, overlapping: true)
                    let rest = deadline - .now
                    let twins = OptimizerCancellation()
                    let slots = ResultSlots(count: 2)
                    DispatchQueue.concurrentPerform(iterations: 2) { k in
                        let twin = SolveParameters(timeLimit: rest, presolve: true, cuts: k == 1, nodeLimit: nodeLimit)
                        let result = cancellation.whileSolving(alongWith: twins) { token in
                            try? solver.solveSynchronously(model, parameters: twin, progress: report, cancellation: token)
                        }
                        slots.set(k, result)
                        // A budgeted run does not stop at the proof: when that comes depends on the machine.
                        if result?.termination == .optimal, !budgeted { twins.cancel() }
                    }
                    for result in slots.all { exactBound = finishWhole(&search, whole, result: result) }
                }
            } else {
                let finished = OptimizerCancellation()
                let slot = ResultSlots(count: 1)
                let group = DispatchGroup()
                let solveParameters = SolveParameters(timeLimit: left, presolve: presolve, warmStart: presolve ? nil : whole.sub.warmStart,
                                                      nodeLimit: nodeLimit)
                DispatchQueue.global().async(group: group) { [cancellation] in
                    let result = cancellation.whileSolving { token in
                        try? solver.solveSynchronously(model, parameters: solveParameters, progress: report, cancellation: token)
                    }
                    slot.set(0, result)
                    if result?.termination == .optimal { finished.cancel() }
                }
                var lns = parameters
                lns.parallelNeighbourhoods = 1
                // A budgeted run does not stop at the proof: when that comes depends on the machine.
                searchNeighbourhoods(&search, parameters: lns, until: deadline, stop: parameters.nodeLimit == nil ? finished : nil)
                group.wait()
                exactBound = finishWhole(&search, whole, result: slot.all[0])
            }
        } else {
            searchNeighbourhoods(&search, parameters: parameters, until: deadline)
        }

        let engineFinal = search.engine
        var final = engineFinal.solution(reasons: Self.reasons(engineFinal))
        var finalCost = validator.validate(final)
        if !finalCost.isValid || finalCost.cost.total > startCost.total + 1e-9 {  // never worse, never invalid
            final = startSolution
            finalCost = validator.validate(startSolution)
        }
        return OptimizationResult(solution: final, cost: finalCost.cost, startCost: startCost, wallTime: clock.now - begin,
                                  neighbourhoods: search.neighbourhoods, improvements: search.improvements, bound: exactBound)
    }

    /// The state of one run: the schedule so far, its cost and the counters.
    struct Search {
        var engine: BookingEngine
        var bestCost: CostBreakdown
        let index: InstanceIndex
        let validator: ScheduleValidator
        let begin: ContinuousClock.Instant
        let cancellation: OptimizerCancellation
        let progress: ProgressRelay?
        var neighbourhoods = 0
        var improvements = 0
        /// A proven lower bound on the instance's cost, once known.
        var bound: Double?

        /// Places the solved model's choice for the free requests; keeps the schedule only when it
        /// is valid and cheaper by the spec's cost. Returns whether it was kept.
        mutating func apply(_ sub: Subproblem, values: [Double]) -> Bool {
            guard let trial = sub.schedule(values, on: engine) else { return false }
            return keep(trial)
        }

        /// Makes `trial` the schedule when it is valid and cheaper by the spec's cost.
        mutating func keep(_ trial: BookingEngine) -> Bool {
            let cost = CostEvaluator.cost(of: trial.solution(), index: index)
            guard cost.total < bestCost.total - 1e-9, validator.validate(trial.solution()).isValid else { return false }
            engine = trial
            bestCost = cost
            improvements += 1
            progress?.report(OptimizerEvent(elapsed: ContinuousClock.now - begin, cost: cost, neighbourhoods: neighbourhoods,
                                     improvements: improvements, bound: bound))
            return true
        }
    }

    /// Greedy repair: each waiting request, most expensive to leave out first, booked at its
    /// best-fit offer when that costs less than leaving it out. Kept only when the whole schedule
    /// stays valid and gets cheaper. Returns how many requests were booked.
    func insertWaiting(_ search: inout Search, until deadline: ContinuousClock.Instant) -> Int {
        let index = search.index
        let instance = index.instance
        let penalty = { (r: Int) in instance.objective.unscheduledPenalty[instance.requests[r].priority] }
        var trial = search.engine
        let waiting = instance.requests.indices
            .filter { index.isFirstRequest[$0] && !trial.isBooked(instance.requests[$0].id) }
            .sorted { (-penalty($0), $0) < (-penalty($1), $1) }
        var booked = 0
        for r in waiting where !trial.isBooked(instance.requests[r].id) {
            guard ContinuousClock.now < deadline else { break }
            guard let offer = trial.offers(for: instance.requests[r].id, limit: 1).offers.first else { continue }
            let leftOut = offer.placements.reduce(0.0) { $0 + (index.request[$1.request].map(penalty) ?? 0) }
            guard offer.cost.total < leftOut else { continue }
            do throws(BookingError) {
                try trial.book(offer)
                booked += offer.placements.count
            } catch {
                continue
            }
        }
        guard booked > 0, search.keep(trial) else { return 0 }
        logger.debug("waiting requests inserted", metadata: ["booked": "\(booked)", "cost": "\(search.bestCost.total)"])
        return booked
    }

    /// Whole models up to this many variables are solved twice at once (with and without cuts)
    /// instead of beside the neighbourhood search: small-01's has 6,156.
    static let twinSolveVariableLimit = 20_000
    /// The part of the time the neighbourhood search gets before the twin solves (measured on
    /// small-01..03: 0.1 keeps small-02's proof inside 60 s, 0.3 loses it).
    static let searchShareBeforeTwins = 0.1

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
        guard let sub = Subproblem.build(state: search.engine, free: free, candidatesPerRequest: 0, exhaustive: true),
              sub.model.variables.count <= 60_000 else { return nil }
        let movable = instance.requests.indices.filter { index.isFirstRequest[$0] && instance.requests[$0].current?.pinned != true }
        // The objective differs from the spec's cost by a constant, which the current schedule
        // (the model's warm start) measures.
        return WholeModel(sub: sub, free: free, exact: sub.isComplete && free.count == movable.count,
                          constant: search.bestCost.total - sub.warmObjective)
    }

    func export(_ model: MIPModel, to path: String) {
        do throws(MIPError) {
            try solver.write(model, to: path, format: .freeMPS)
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
        search.bound = min(max(search.bound ?? -.infinity, proven), search.bestCost.total)
        search.progress?.report(OptimizerEvent(elapsed: ContinuousClock.now - search.begin, cost: search.bestCost,
                                        neighbourhoods: search.neighbourhoods, improvements: search.improvements, bound: search.bound))
        return search.bound
    }

    /// Large-neighbourhood search until `deadline`: the kinds of neighbourhood take turns; a kind
    /// whose whole list went by without an improvement rests; when all rest, the candidates widen,
    /// twice; then the schedule is a local optimum for every neighbourhood, and the search starts
    /// again with new ones (shifted windows, other provider groups), a new set each time, until the
    /// deadline or until a whole set (every kind, both widenings) brings no improvement: then it
    /// ends early.
    ///
    /// `parallelNeighbourhoods` models are solved at a time, each on a thread of its own. A run
    /// bounded by time keeps every thread busy: as soon as one solve ends, its answer is applied
    /// and the next neighbourhood, built on the schedule as it is then, takes the thread. A
    /// budgeted run (`nodeLimit`) waits for the whole batch and applies its answers in the order
    /// the neighbourhoods were built, so that the same seed gives the same schedule. Either way an
    /// answer is kept only when the whole schedule stays valid and gets cheaper
    /// (``Search/keep(_:)``), whatever the other thread changed since its model was built.
    ///
    /// - Parameters:
    ///   - stop: ends the search early when cancelled (the whole model proved its optimum).
    ///   - overlapping: two solves in flight may free the same requests (the second answer applied
    ///     then often fails to fit and is dropped); otherwise a neighbourhood that overlaps the
    ///     solve in flight waits for it.
    func searchNeighbourhoods(_ search: inout Search, parameters: OptimizerParameters, until deadline: ContinuousClock.Instant,
                              stop: OptimizerCancellation? = nil, overlapping: Bool = false) {
        let index = search.index
        let kinds = Neighbourhood.Kind.allCases
        var epoch = 0
        var improvementsAtEpoch = search.improvements
        var lists = kinds.map { Neighbourhood.all($0, index: index, seed: parameters.seed, epoch: epoch) }
        let unplaceable = Neighbourhood.unplaceable(search.engine)
        var cursor = [Int](repeating: 0, count: kinds.count)
        var stale = [Int](repeating: 0, count: kinds.count)
        var candidates = parameters.candidatesPerRequest
        var freeLimit = parameters.maxFreeRequests
        var widenings = 0
        var turn = 0
        var repairedAt = -1  // improvements when the last greedy repair ran
        // The longest building of a model and applying of an answer seen so far: a model is built
        // only when both fit before the deadline, and its solve ends in time for the applying (in
        // a debug build on a loaded machine they take tenths of a second).
        var buildTime = Duration.zero, applyTime = Duration.zero
        let budgeted = parameters.nodeLimit != nil
        let threads = max(1, parameters.parallelNeighbourhoods)
        var inFlight: [Int: Job] = [:]
        var built = 0
        let finished = Completions()

        func searching() -> Bool {
            deadline - .now > buildTime + applyTime && search.neighbourhoods < parameters.maxNeighbourhoods ?? .max
                && !search.cancellation.isCancelled && !(stop?.isCancelled ?? false)
        }

        /// The next neighbourhood's model, built on the current schedule; nil when the search is
        /// over, or (unless `overlapping`) when the next one frees a request that a solve in flight
        /// holds: it is tried again once that solve is applied.
        func next() -> Job? {
            while searching() {
                // After a round of the kinds that changed the schedule, waiting requests may fit as they are.
                if turn % kinds.count == 0, search.improvements != repairedAt {
                    _ = insertWaiting(&search, until: deadline)
                    repairedAt = search.improvements
                }
                let active = kinds.indices.filter { !lists[$0].isEmpty && stale[$0] < lists[$0].count }
                if active.isEmpty {
                    guard inFlight.isEmpty else { return nil }  // their answers may still change the schedule
                    stale = stale.map { _ in 0 }
                    if widenings < 2 {
                        widenings += 1
                        candidates *= 2
                        freeLimit = freeLimit * 3 / 2
                    } else {
                        // A local optimum for every neighbourhood: start again from it with new ones
                        // (windows shifted, providers grouped anew) and the first limits.
                        // The run ends early only when a whole set brought nothing.
                        guard search.improvements > improvementsAtEpoch else { return nil }
                        improvementsAtEpoch = search.improvements
                        epoch += 1
                        lists = kinds.map { Neighbourhood.all($0, index: index, seed: parameters.seed, epoch: epoch) }
                        cursor = cursor.map { _ in 0 }
                        widenings = 0
                        candidates = parameters.candidatesPerRequest
                        freeLimit = parameters.maxFreeRequests
                    }
                    continue
                }
                let f = active[turn % active.count]
                turn += 1
                let kind = kinds[f]
                // Wider kinds free more requests.
                let limit = switch kind {
                case .window, .providers: freeLimit / 2
                case .locationDay: freeLimit
                case .day, .twoDays: freeLimit * 2
                }
                let building = ContinuousClock.now
                let hood = lists[f][cursor[f] % lists[f].count]
                cursor[f] += 1
                // Every other neighbourhood puts the waiting requests first (see `freeRequests`).
                let free = hood.freeRequests(engine: search.engine, limit: limit, unplaceable: unplaceable,
                                             waitingShare: cursor[f] % 2 == 0 ? 0 : 0.5)
                // Unless overlapping is allowed, two solves at once never free the same request:
                // this neighbourhood waits for the solve in flight (skipping it would starve the
                // wide kinds, which overlap every narrow one of their day).
                if !overlapping, inFlight.values.contains(where: { !$0.free.isDisjoint(with: free) }) {
                    cursor[f] -= 1
                    turn -= 1
                    return nil
                }
                guard !free.isEmpty,
                      let sub = Subproblem.build(state: search.engine, free: free, candidatesPerRequest: candidates, focus: hood) else {
                    stale[f] += 1
                    continue
                }
                buildTime = max(buildTime, .now - building)
                built += 1
                return Job(id: built, f: f, kind: kind, free: Set(free), sub: sub)
            }
            return nil
        }

        func launch(_ job: Job) {
            search.neighbourhoods += 1
            // Narrow neighbourhoods are many and small: a shorter limit each.
            let perHood = job.kind == .window || job.kind == .providers ? parameters.neighbourhoodTimeLimit / 2
                : parameters.neighbourhoodTimeLimit
            let remaining = max(deadline - .now - applyTime, .milliseconds(1))
            // A budgeted run is not cut by the neighbourhood's time limit, which would make it
            // depend on the machine's speed and load.
            let solveParameters = SolveParameters(timeLimit: budgeted ? remaining : min(perHood, remaining),
                                                  warmStart: job.sub.warmStart, nodeLimit: parameters.nodeLimit)
            let model = job.sub.model, solver = self.solver, cancellation = search.cancellation, id = job.id
            inFlight[id] = job
            DispatchQueue.global().async {
                let result = cancellation.whileSolving { token in
                    try? solver.solveSynchronously(model, parameters: solveParameters, cancellation: token)
                }
                finished.push(id, result)
            }
        }

        func apply(_ id: Int, _ result: SolveResult?) {
            guard let job = inFlight.removeValue(forKey: id) else { return }
            let applying = ContinuousClock.now
            var kept = false
            if let result, let values = result.values, let objective = result.objective, objective < job.sub.warmObjective - 1e-6 {
                kept = search.apply(job.sub, values: values)
            }
            stale[job.f] = kept ? 0 : stale[job.f] + 1
            applyTime = max(applyTime, .now - applying)
            logger.debug("neighbourhood solved", metadata: [
                "kind": "\(job.kind)", "free": "\(job.free.count)", "variables": "\(job.sub.model.variables.count)",
                "rows": "\(job.sub.model.constraints.count)", "start": "\(job.sub.warmObjective)",
                "objective": "\(result?.objective.map { "\($0)" } ?? "none")",
                "termination": "\(result.map { "\($0.termination)" } ?? "error")", "kept": "\(kept)",
            ])
        }

        while true {
            while inFlight.count < threads, deadline - .now - applyTime > .milliseconds(50), let job = next() {
                launch(job)
            }
            guard !inFlight.isEmpty else { break }
            if budgeted {
                // The whole batch, in the order it was built.
                var answers: [(Int, SolveResult?)] = []
                for _ in inFlight { answers.append(finished.wait()) }
                for (id, result) in answers.sorted(by: { $0.0 < $1.0 }) { apply(id, result) }
            } else {
                let (id, result) = finished.wait()
                apply(id, result)
            }
        }
    }

    /// A neighbourhood's model on its way through a solve.
    struct Job {
        /// The order in which the models were built (a budgeted run applies answers in it).
        var id: Int
        /// The position of `kind` in the turn, whose staleness the answer updates.
        var f: Int
        var kind: Neighbourhood.Kind
        /// The requests the model may move; no other solve in flight holds any of them unless the
        /// search allows overlapping.
        var free: Set<Int>
        var sub: Subproblem
    }

    /// Answers of solves running on other threads, in the order they end.
    final class Completions: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [(Int, SolveResult?)] = []
        private let signal = DispatchSemaphore(value: 0)

        func push(_ id: Int, _ result: SolveResult?) {
            lock.lock()
            answers.append((id, result))
            lock.unlock()
            signal.signal()
        }

        /// Blocks until an answer is there.
        func wait() -> (Int, SolveResult?) {
            signal.wait()
            lock.lock()
            defer { lock.unlock() }
            return answers.removeFirst()
        }
    }

    /// Results written by concurrent solves.
    final class ResultSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [SolveResult?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: SolveResult?) { lock.lock(); slots[i] = r; lock.unlock() }
        var all: [SolveResult?] { lock.lock(); defer { lock.unlock() }; return slots }
    }

    static func reasons(_ engine: BookingEngine) -> [String: String] {
        var out: [String: String] = [:]
        var e = engine
        for request in engine.index.instance.requests where !engine.isBooked(request.id) {
            let why = e.offers(for: request.id, limit: 1).explanation?.main?.rawValue
            out[request.id] = why.map { "not placed: \($0)" } ?? "not placed: leaving it out costs less than any placement found"
        }
        return out
    }
}

extension BatchOptimizer {
    /// The integer program of one location-day neighbourhood of `schedule`, with its warm start:
    /// what the optimiser builds and solves at each step (for benchmarks).
    @_spi(Benchmarks)
    public static func neighbourhoodModel(_ instance: Instance, schedule: Solution, location: String, day: Int,
                                          candidatesPerRequest: Int = 12, maxFreeRequests: Int = 36) -> (MIPModel, [Double])? {
        var engine = BookingEngine(instance)
        let index = engine.index
        for a in schedule.assignments {
            guard let r = index.request[a.request], instance.requests[r].current == nil else { continue }
            try? engine.placeForOptimizer(r, a)
        }
        let hood = Neighbourhood(kind: .locationDay, location: location, day: TimeSpan(start: day * 1440, end: (day + 1) * 1440))
        let free = hood.freeRequests(engine: engine, limit: maxFreeRequests)
        return Subproblem.build(state: engine, free: free, candidatesPerRequest: candidatesPerRequest).map { ($0.model, $0.warmStart) }
    }
}

/// Forwards progress events to the caller from the search's thread and from GLPK's (the whole
/// model's bound): each event carries the latest schedule's figures and the best bound known.
final class ProgressRelay: Sendable {
    private let sink: @Sendable (OptimizerEvent) -> Void
    private let begin: ContinuousClock.Instant
    private let state = Mutex<(last: OptimizerEvent?, bound: Double?)>((nil, nil))

    init(begin: ContinuousClock.Instant, _ sink: @escaping @Sendable (OptimizerEvent) -> Void) {
        self.begin = begin
        self.sink = sink
    }

    func report(_ event: OptimizerEvent) {
        let out = state.withLock { s -> OptimizerEvent in
            var e = event
            if let b = s.bound { e.bound = max(e.bound ?? b, b) }
            e.bound = e.bound.map { min($0, e.cost.total) }
            s.last = e
            return e
        }
        sink(out)
    }

    /// A better proven bound: the last event again, with it.
    func improveBound(_ bound: Double) {
        let out = state.withLock { s -> OptimizerEvent? in
            guard bound > (s.bound ?? -.infinity) else { return nil }
            s.bound = bound
            guard var e = s.last else { return nil }
            e.elapsed = ContinuousClock.now - begin
            e.bound = min(bound, e.cost.total)
            return e
        }
        if let out { sink(out) }
    }
}
