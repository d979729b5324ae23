import AppointmentModel
import Foundation
import GLPKBackend
import Logging
import MIPModel
import Synchronization
import RealTimeBooking

/// How long a ``BatchOptimizer`` run may take, and how it searches.
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
    /// improves the schedule (figures: Docs/batch-formulation.md, *Time per neighbourhood*).
    public var neighbourhoodTimeLimit: Duration
    /// Instances with at most this many requests are also solved as one model over every
    /// feasible placement: after a short search, on both cores at once (with and without cuts),
    /// or, when time is short or the model large, on one core beside the neighbourhood search.
    public var exactRequestLimit: Int = 80
    /// Neighbourhoods solved at the same time, each on a thread of its own: one per core by
    /// default (``defaultParallelSolves``).
    public var parallelNeighbourhoods: Int = OptimizerParameters.defaultParallelSolves

    /// One solve per active core, at most 8 (beyond that the neighbourhoods of one schedule
    /// overlap so often that answers are dropped more than kept; not measured here, on 2 cores).
    public static var defaultParallelSolves: Int { max(1, min(8, ProcessInfo.processInfo.activeProcessorCount)) }
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

    /// Creates parameters; the fields not named here keep their defaults.
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
    /// Wall-clock time since the run started.
    public var elapsed: Duration
    /// The best schedule's cost so far, with its parts.
    public var cost: CostBreakdown
    /// Solves launched so far: neighbourhoods, and the whole model of a small instance.
    public var neighbourhoods: Int
    /// Schedules kept so far, each valid and cheaper than the one before.
    public var improvements: Int
    /// A proven lower bound on any schedule's cost, when known (while and after a small
    /// instance's whole model is solved).
    public var bound: Double?
}

/// What a ``BatchOptimizer`` run produced: the best schedule, its cost, and how the run went.
public struct OptimizationResult: Sendable {
    /// The best schedule found: valid, and never dearer than the start.
    public var solution: Solution
    /// The spec's cost of ``solution``, with its parts.
    public var cost: CostBreakdown
    /// The cost of the schedule the run started from.
    public var startCost: CostBreakdown
    /// Wall-clock time of the whole run, the checks and the final validation included.
    public var wallTime: Duration
    /// Solves launched: neighbourhoods, and the whole model of a small instance.
    public var neighbourhoods: Int
    /// Schedules kept, each valid and cheaper than the one before.
    public var improvements: Int
    /// A proven lower bound on the optimum: the highest of the whole model's (small instances),
    /// ``BatchOptimizer/capacityBound(_:timeLimit:solver:)`` (larger ones, when its LP ends in
    /// time) and ``BatchOptimizer/relaxationBound(_:)`` (every instance).
    public var bound: Double?
    /// Why the run ended.
    public var stop: Stop

    /// Why a run ended.
    public enum Stop: String, Sendable, Hashable {
        /// The time limit came.
        case timeLimit
        /// The caller cancelled it (``OptimizerCancellation``, or by cancelling the task of the async ``BatchOptimizer/optimize(_:start:parameters:progress:)``).
        case cancelled
        /// The whole model proved the schedule optimal.
        case provenOptimal
        /// A whole set of neighbourhoods (every kind, both widenings) brought no improvement: the
        /// schedule is a local optimum for all of them, and more time would not change it.
        case localOptimum
        /// ``OptimizerParameters/maxNeighbourhoods`` were solved.
        case neighbourhoodLimit
    }
}

/// Why a run could not start. Every normal outcome, an early stop included, is an ``OptimizationResult``.
public enum OptimizerError: Error, Sendable, CustomStringConvertible {
    /// The instance fails the instance checker; every error is listed.
    case invalidInstance([InstanceIssue])
    /// The given start schedule fails the schedule validator; every violation is listed.
    case invalidStart([Violation])
    /// A time limit that is zero or negative (`parameters.timeLimit`, `neighbourhoodTimeLimit`).
    case invalidParameter(String)

    /// A one-line message: the first five problems, or the parameter's message.
    public var description: String {
        switch self {
        case .invalidInstance(let issues): "the instance is invalid: " + issues.prefix(5).map(\.description).joined(separator: "; ")
        case .invalidStart(let v): "the start solution is invalid: " + v.prefix(5).map(\.description).joined(separator: "; ")
        case .invalidParameter(let message): message
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
    /// The GLPK backend that solves every neighbourhood and the whole model.
    public var solver: any SynchronousMIPSolver
    /// Each neighbourhood and the whole model, at debug level (sizes, objective, termination).
    public var logger: Logger

    /// The label of the optimiser's log, unless another logger is given.
    @usableFromInline static let loggerLabel = "AppointmentOptimizer.Batch"

    /// Creates an optimiser that solves with `solver` and logs to `logger`.
    public init(solver: any SynchronousMIPSolver = GLPKSolver(), logger: Logger = Logger(label: BatchOptimizer.loggerLabel)) {
        self.solver = solver
        self.logger = logger
    }

    /// Optimises `instance` from `start` (default: the cheapest of the existing bookings, the
    /// priority-ordered greedy and the best-fit online replay), within `parameters.timeLimit`.
    ///
    /// - Parameters:
    ///   - instance: the clinic to schedule; it must pass the instance checker.
    ///   - start: the schedule to improve; it must be valid for `instance`.
    ///   - parameters: the time limit, the seed and the search's limits.
    ///   - cancellation: stops the run early; it then returns the best schedule so far.
    ///   - progress: called after every improvement and every better bound, possibly from two
    ///     threads at once (the search's and GLPK's on a small instance); keep it short.
    public func optimize(_ instance: Instance, start: Solution? = nil, parameters: OptimizerParameters = OptimizerParameters(),
                         cancellation: OptimizerCancellation? = nil,
                         progress: (@Sendable (OptimizerEvent) -> Void)? = nil) throws(OptimizerError) -> OptimizationResult {
        guard parameters.timeLimit > .zero else {
            throw .invalidParameter("timeLimit must be positive, found \(parameters.timeLimit): give the run some time")
        }
        guard parameters.neighbourhoodTimeLimit > .zero else {
            throw .invalidParameter("neighbourhoodTimeLimit must be positive, found \(parameters.neighbourhoodTimeLimit)")
        }
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
            // The two heuristics share the first 30 % of the limit: on a large instance they stop
            // where the time ends, and the search starts from the best of what they reached.
            let share = parameters.timeLimit * 0.15
            let greedy = PriorityGreedy.run(instance, until: begin + share)
            let replay = OnlineReplay.run(instance, until: max(clock.now, begin + share) + share).solution
            let candidates = [Solution.baseline(of: instance), greedy, replay]
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
        search.validationTime = clock.now - validationStarted
        search.progress?.report(OptimizerEvent(elapsed: clock.now - begin, cost: bestCost, neighbourhoods: 0, improvements: 0, bound: nil))

        // Small instances: one model over every feasible placement of every movable request,
        // solved from scratch (presolved) for the whole time, proves the optimum or finds a
        // schedule: on both cores (with and without cuts) when it is of a size GLPK handles and
        // at least 40 s are left, else on one core beside the neighbourhood search; the cheapest
        // schedule wins.
        var exactBound: Double?
        var capacityBound: Double?
        if instance.requests.count <= parameters.exactRequestLimit, let whole = wholeModel(search) {
            exactBound = solveWhole(whole, &search, parameters: parameters, until: deadline, cancellation: cancellation)
        } else {
            // The capacity relaxation's LP runs beside the search, for at most half the time left:
            // it bounds the instance, it does not change the schedule.
            let slot = Mutex<Double?>(nil)
            let group = DispatchGroup()
            let lpLimit = (deadline - clock.now) / 2, solver = self.solver, logger = self.logger, target = bestCost.total
            DispatchQueue.global().async(group: group) {
                slot.withLock { $0 = Self.capacityBound(index: index, timeLimit: lpLimit, solver: solver, cancellation: cancellation,
                                                        logger: logger, target: target) }
            }
            searchNeighbourhoods(&search, parameters: parameters, until: deadline)
            group.wait()
            capacityBound = slot.withLock { $0 }
        }

        let engineFinal = search.engine
        // Explaining what stays unscheduled is an offer search per request: it stops at the
        // limit, less what the final validation needs.
        let explainUntil = begin + parameters.timeLimit - finish / 2
        var final = engineFinal.solution(reasons: Self.reasons(engineFinal, until: explainUntil))
        var finalCost = validator.validate(final)
        if !finalCost.isValid || finalCost.cost.total > startCost.total + 1e-9 {  // never worse, never invalid
            final = startSolution
            finalCost = validator.validate(startSolution)
        }
        let stop: OptimizationResult.Stop =
            if cancellation.isCancelled { .cancelled }
            else if let exactBound, exactBound >= finalCost.cost.total - 1e-6 * max(1, abs(finalCost.cost.total)) { .provenOptimal }
            else if search.exhausted { .localOptimum }
            else if search.neighbourhoods >= parameters.maxNeighbourhoods ?? .max { .neighbourhoodLimit }
            else { .timeLimit }
        // The per-request relaxation's bound holds for every size; the capacity relaxation's and
        // the whole model's are usually higher. All are valid: the highest is reported (never
        // above the cost found).
        let relaxed = max(Self.relaxationBound(index: index), capacityBound ?? -.infinity)
        let bound = min(max(exactBound ?? relaxed, relaxed), finalCost.cost.total)
        return OptimizationResult(solution: final, cost: finalCost.cost, startCost: startCost, wallTime: clock.now - begin,
                                  neighbourhoods: search.neighbourhoods, improvements: search.improvements, bound: bound,
                                  stop: stop)
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
        /// Whether a whole set of neighbourhoods brought nothing (the search ended early).
        var exhausted = false
        /// What validating the start took: keeping a schedule costs about as much, so steps that
        /// end in one stop that much before the deadline.
        var validationTime: Duration = .zero

        /// Places the solved model's choice for the free requests; keeps the schedule only when it
        /// is valid and cheaper by the spec's cost. Returns whether it was kept.
        mutating func apply(_ sub: Subproblem, values: [Double]) -> Bool {
            guard let trial = sub.schedule(values, on: engine) else { return false }
            return keep(trial)
        }

        /// Keeps `proven` as the bound when it is higher than the one so far (never above the cost found).
        mutating func raiseBound(to proven: Double) {
            bound = min(max(bound ?? -.infinity, proven), bestCost.total)
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

    /// One GLPK solve. A solver error (a model GLPK refuses, memory) is logged and counts as no
    /// answer: the schedule stays as it is and the run goes on with other neighbourhoods.
    static func solve(_ solver: any SynchronousMIPSolver, _ model: MIPModel, parameters: SolveParameters,
                      progress: (@Sendable (SolveProgress) -> Void)? = nil, token: any SolveCancellation,
                      logger: Logger, what: String) -> SolveResult? {
        do {
            return try solver.solveSynchronously(model, parameters: parameters, progress: progress, cancellation: token)
        } catch {
            logger.warning("a solve failed; the schedule stays as it was", metadata: [
                "model": "\(what)", "variables": "\(model.variables.count)", "error": "\(error)"])
            return nil
        }
    }

    static func reasons(_ engine: BookingEngine, until deadline: ContinuousClock.Instant? = nil) -> [String: String] {
        var out: [String: String] = [:]
        var e = engine
        var clock = DeadlineCheck(deadline)
        for request in engine.index.instance.requests where !engine.isBooked(request.id) {
            if clock.passed() {
                for r in engine.index.instance.requests where !engine.isBooked(r.id) && out[r.id] == nil {
                    out[r.id] = "not placed (no time was left to say why)"
                }
                return out
            }
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
