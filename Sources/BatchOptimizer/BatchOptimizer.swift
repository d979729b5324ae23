import AppointmentModel
import Foundation
import GLPKBackend
import MIPModel
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
    /// Time limit of one neighbourhood's solve.
    public var neighbourhoodTimeLimit: Duration
    /// Instances with at most this many requests are first solved as one model over every
    /// feasible placement.
    public var exactRequestLimit: Int = 80
    /// Neighbourhoods solved at the same time, each on a thread of its own (one per core).
    public var parallelNeighbourhoods: Int = 2

    public init(timeLimit: Duration = .seconds(60), seed: UInt64 = 1, candidatesPerRequest: Int = 12,
                maxFreeRequests: Int = 36, neighbourhoodTimeLimit: Duration = .seconds(5)) {
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
    public var cost: CostBreakdown
    public var neighbourhoods: Int
    public var improvements: Int
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

    public init(solver: GLPKSolver = GLPKSolver()) {
        self.solver = solver
    }

    /// Optimises `instance` from `start` (default: the cheapest of the existing bookings, the
    /// priority-ordered greedy and the best-fit online replay), within `parameters.timeLimit`.
    public func optimize(_ instance: Instance, start: Solution? = nil, parameters: OptimizerParameters = OptimizerParameters(),
                         progress: (@Sendable (OptimizerEvent) -> Void)? = nil) throws(OptimizerError) -> OptimizationResult {
        let clock = ContinuousClock()
        let begin = clock.now
        let deadline = begin + parameters.timeLimit
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
        let startCost = validator.validate(startSolution).cost
        var bestCost = CostEvaluator.cost(of: engine.solution(), index: index)
        if bestCost.total > startCost.total + 1e-9 {  // the state does not reproduce the start
            engine = BookingEngine(index: index)
            bestCost = CostEvaluator.cost(of: engine.solution(), index: index)
        }
        var neighbourhoods = 0, improvements = 0
        var exactBound: Double?
        progress?(OptimizerEvent(elapsed: clock.now - begin, cost: bestCost, neighbourhoods: 0, improvements: 0))

        // Small instances: every movable request at once, every feasible placement, one model.
        if instance.requests.count <= parameters.exactRequestLimit {
            let free = Self.freeRequests(in: nil, engine: engine, limit: .max)
            if let sub = Subproblem.build(state: engine, free: free, candidatesPerRequest: 0, exhaustive: true),
               sub.model.variables.count <= 60_000 {
                neighbourhoods += 1
                // Three quarters of the time at most: the neighbourhood search gets the rest.
                let limit = min(deadline - clock.now, parameters.timeLimit * 3 / 4)
                if limit > .milliseconds(50),
                   let result = try? solver.solveSynchronously(sub.model, parameters: SolveParameters(timeLimit: limit, warmStart: sub.warmStart)),
                   let values = result.values {
                    var trial = engine
                    for r in free where trial.isBooked(instance.requests[r].id) { try? trial.cancelForOptimizer(r) }
                    var applied = true
                    for choice in sub.choices where values[choice.variable.index] > 0.5 {
                        for (r, placement) in choice.placements {
                            do throws(BookingError) { try trial.placeForOptimizer(r, placement) } catch { applied = false }
                        }
                    }
                    let trialCost = CostEvaluator.cost(of: trial.solution(), index: index)
                    if applied, trialCost.total < bestCost.total - 1e-9, validator.validate(trial.solution()).isValid {
                        engine = trial
                        bestCost = trialCost
                        improvements += 1
                        progress?(OptimizerEvent(elapsed: clock.now - begin, cost: bestCost, neighbourhoods: neighbourhoods,
                                                 improvements: improvements))
                    }
                    // A proven bound for the whole instance, only when the model held every request
                    // that can change: the MIP objective differs from the spec's cost by a constant.
                    let movable = instance.requests.indices.filter { index.isFirstRequest[$0] && instance.requests[$0].current?.pinned != true }
                    if free.count == movable.count, let objective = result.objective, let bound = result.bestBound {
                        exactBound = bound + (trialCost.total - objective)
                        if result.termination == .optimal { exactBound = min(exactBound!, bestCost.total) }
                    }
                }
            }
        }

        var family = 0
        var order = Self.neighbourhoods(instance, seed: parameters.seed, family: family)
        var stale = 0
        var k = 0
        // A full round without improvement widens the neighbourhoods (more candidates per request,
        // more free requests); when the widest round is stale too, the next family of
        // neighbourhoods (a day everywhere, then two days) starts; the run ends with the last
        // family or the time limit.
        var candidates = parameters.candidatesPerRequest
        var freeLimit = parameters.maxFreeRequests
        while clock.now < deadline, !order.isEmpty {
            if stale >= order.count {
                if candidates < 4 * parameters.candidatesPerRequest {
                    candidates *= 2
                    freeLimit = freeLimit * 3 / 2
                } else {
                    guard family < 2 else { break }
                    family += 1
                    order = Self.neighbourhoods(instance, seed: parameters.seed, family: family)
                    candidates = parameters.candidatesPerRequest
                    freeLimit = parameters.maxFreeRequests * 2
                }
                stale = 0
            }
            // Two neighbourhoods at a time, one per core, built from the same state: separate GLPK
            // problems on separate threads. Their results are applied one after the other, each
            // checked against the state the previous one left (a collision discards the second).
            var batch: [(free: [Int], sub: Subproblem)] = []
            var tried = 0
            while batch.count < parameters.parallelNeighbourhoods, tried < order.count {
                let hood = order[k % order.count]
                k += 1
                tried += 1
                let free = Self.freeRequests(in: hood, engine: engine, limit: freeLimit)
                if !free.isEmpty, let sub = Subproblem.build(state: engine, free: free, candidatesPerRequest: candidates) {
                    batch.append((free, sub))
                } else {
                    stale += 1
                }
            }
            guard !batch.isEmpty else { continue }
            neighbourhoods += batch.count
            let remaining = deadline - clock.now
            guard remaining > .milliseconds(50) else { break }
            let limit = min(parameters.neighbourhoodTimeLimit, remaining)
            let results = Self.solveConcurrently(batch.map(\.sub), solver: solver, limit: limit)
            for ((free, sub), result) in zip(batch, results) {
                guard let result, let values = result.values, let objective = result.objective,
                      objective < sub.warmObjective - 1e-6 else {
                    stale += 1
                    continue
                }
                var trial = engine
                var applied = true
                for r in free where trial.isBooked(instance.requests[r].id) { try? trial.cancelForOptimizer(r) }
                for choice in sub.choices where values[choice.variable.index] > 0.5 {
                    for (r, placement) in choice.placements {
                        do throws(BookingError) {
                            try trial.placeForOptimizer(r, placement)
                        } catch {
                            applied = false
                        }
                    }
                }
                let trialCost = CostEvaluator.cost(of: trial.solution(), index: index)
                if applied, trialCost.total < bestCost.total - 1e-9, validator.validate(trial.solution()).isValid {
                    engine = trial
                    bestCost = trialCost
                    improvements += 1
                    stale = 0
                    progress?(OptimizerEvent(elapsed: clock.now - begin, cost: bestCost, neighbourhoods: neighbourhoods,
                                             improvements: improvements))
                } else {
                    stale += 1
                }
            }
        }
        var final = engine.solution(reasons: Self.reasons(engine))
        var finalCost = validator.validate(final)
        if !finalCost.isValid || finalCost.cost.total > startCost.total + 1e-9 {  // never worse, never invalid
            final = startSolution
            finalCost = validator.validate(startSolution)
        }
        return OptimizationResult(solution: final, cost: finalCost.cost, startCost: startCost, wallTime: clock.now - begin,
                                  neighbourhoods: neighbourhoods, improvements: improvements, bound: exactBound)
    }

    /// Solves each model on a thread of its own (GLPK keeps its state per thread) and waits for all.
    static func solveConcurrently(_ subs: [Subproblem], solver: GLPKSolver, limit: Duration) -> [SolveResult?] {
        let results = ResultSlots(count: subs.count)
        let models = subs.map { ($0.model, $0.warmStart) }
        DispatchQueue.concurrentPerform(iterations: models.count) { i in
            let result = try? solver.solveSynchronously(models[i].0, parameters: SolveParameters(timeLimit: limit, warmStart: models[i].1))
            results.set(i, result)
        }
        return results.all
    }

    /// Results written by concurrent solves.
    final class ResultSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [SolveResult?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: SolveResult?) { lock.lock(); slots[i] = r; lock.unlock() }
        var all: [SolveResult?] { lock.lock(); defer { lock.unlock() }; return slots }
    }

    /// A location and a day: the unit of a neighbourhood.
    struct Neighbourhood: Hashable {
        /// Nil: every location.
        var location: String?
        var day: TimeSpan
    }

    /// The neighbourhoods of one family, in a seeded order: family 0 is a location and a day,
    /// family 1 a day at every location, family 2 two days at every location.
    static func neighbourhoods(_ instance: Instance, seed: UInt64, family: Int = 0) -> [Neighbourhood] {
        var out: [Neighbourhood] = []
        var start = instance.horizon.start
        let length = family == 2 ? 2 * 1440 : 1440
        while start < instance.horizon.end {
            let span = TimeSpan(start: start, end: start + length)
            if family == 0 {
                for l in instance.locations { out.append(Neighbourhood(location: l.id, day: span)) }
            } else {
                out.append(Neighbourhood(location: nil, day: span))
            }
            start += family == 2 ? 1440 : length
        }
        // A seeded shuffle (Fisher–Yates with SplitMix64 steps): deterministic for a seed.
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        for i in stride(from: out.count - 1, to: 0, by: -1) {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            out.swapAt(i, Int(z % UInt64(i + 1)))
        }
        return out
    }

    /// Requests that may change in `hood` (all of them when nil): bookings there that are not
    /// pinned, and waiting requests that could go there, most expensive to leave out first.
    /// A group comes whole or not at all; a series member only while its predecessor and
    /// successors stay fixed (the engine then keeps it within their gaps).
    static func freeRequests(in hood: Neighbourhood?, engine: BookingEngine, limit: Int) -> [Int] {
        let index = engine.index
        let instance = index.instance
        func eligible(_ r: Int) -> Bool { index.isFirstRequest[r] && instance.requests[r].current?.pinned != true }
        func inHood(_ r: Int) -> Bool {
            guard let hood else { return true }
            let request = instance.requests[r]
            if let p = engine.booking(of: request.id) {
                guard hood.day.contains(minute: p.start) else { return false }
                let location = p.room.flatMap { index.room[$0] }.map { instance.rooms[$0].location }
                    ?? p.providers.first.flatMap { index.provider[$0] }.flatMap { pr in
                        index.shift(of: pr, containing: TimeSpan(start: p.start, end: p.start + 1))?.location }
                return hood.location == nil || location == hood.location
            }
            return request.earliest < hood.day.end && request.latest >= hood.day.start
                && (hood.location.map { l in request.locations?.contains(l) ?? true } ?? true)
        }
        var booked: [[Int]] = [], waiting: [[Int]] = []
        var taken = Set<String>()
        for r in instance.requests.indices where eligible(r) && inHood(r) {
            let request = instance.requests[r]
            var unit = [r]
            if let g = request.group, let members = index.groups[g.id], members.count > 1 {
                guard taken.insert(g.id).inserted, members.allSatisfy(eligible) else { continue }
                unit = members
            }
            if engine.isBooked(request.id) { booked.append(unit) } else { waiting.append(unit) }
        }
        let penalty = { (unit: [Int]) in unit.reduce(0.0) { $0 + instance.objective.unscheduledPenalty[instance.requests[$1].priority] } }
        waiting.sort { (-penalty($0), $0[0]) < (-penalty($1), $1[0]) }
        var out: [Int] = []
        var chosen = Set<Int>()
        for unit in booked + waiting {
            guard out.count + unit.count <= limit || out.isEmpty else { break }
            // Series partners are never free together.
            let partners = unit.flatMap { r in
                (instance.requests[r].after.flatMap { index.request[$0.request] }.map { [$0] } ?? []) + engine.successorsOf(r)
            }
            if partners.contains(where: chosen.contains) { continue }
            out += unit
            chosen.formUnion(unit)
        }
        return out
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
        let hood = Neighbourhood(location: location, day: TimeSpan(start: day * 1440, end: (day + 1) * 1440))
        let free = freeRequests(in: hood, engine: engine, limit: maxFreeRequests)
        return Subproblem.build(state: engine, free: free, candidatesPerRequest: candidatesPerRequest).map { ($0.model, $0.warmStart) }
    }
}
