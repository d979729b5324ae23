import AppointmentModel
import Foundation
import MIPModel
import Synchronization
import RealTimeBooking

// The large-neighbourhood search: neighbourhoods solved on both cores, each answer applied as it
// ends and kept only when the whole schedule gets cheaper; and the greedy repair of waiting requests.
extension BatchOptimizer {
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
        // Keeping the result validates the whole schedule: stop in time for it.
        let stopAt = deadline - search.validationTime * 2
        for r in waiting where !trial.isBooked(instance.requests[r].id) {
            guard ContinuousClock.now < stopAt else { break }
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
        // At most a quarter of the time left goes to finding the requests no empty clinic could place.
        let unplaceable = Neighbourhood.unplaceable(search.engine, until: .now + (deadline - .now) / 4)
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
                        guard search.improvements > improvementsAtEpoch else {
                            search.exhausted = true
                            return nil
                        }
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
            let logger = self.logger, kind = job.kind
            DispatchQueue.global().async {
                let result = cancellation.whileSolving(with: solver) { token in
                    Self.solve(solver, model, parameters: solveParameters, token: token, logger: logger, what: "\(kind)")
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
    final class Completions: Sendable {
        private let answers = Mutex<[(Int, SolveResult?)]>([])
        private let signal = DispatchSemaphore(value: 0)

        func push(_ id: Int, _ result: SolveResult?) {
            answers.withLock { $0.append((id, result)) }
            signal.signal()
        }

        /// Blocks until an answer is there.
        func wait() -> (Int, SolveResult?) {
            signal.wait()
            return answers.withLock { $0.removeFirst() }
        }
    }
}
