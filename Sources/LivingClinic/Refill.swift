import AppointmentModel
import BatchOptimizer
import RealTimeBooking

extension ClinicState {
    /// What a `fill` change would book now, without booking it.
    public func proposeFill() -> [Placement] {
        var copy = self
        var outcome = ChangeOutcome(event: ClinicEvent(at: now, .fill))
        _ = copy.fill(&outcome)
        return outcome.booked
    }

    /// Offers free time to the waiting list, moving nobody: the waiting units (a group whole,
    /// a series member once its predecessor is booked) by unscheduled penalty, highest first,
    /// shorter visits first among equals (several short visits then share a freed hour), then
    /// by arrival; each gets its best offer when that lowers the cost (its marginal cost is
    /// below the penalty it stops paying).
    ///
    /// Then, when the greedy booked something and ``fillBudget`` allows, the set is chosen again
    /// by an integer program (`BatchOptimizer.reoptimize`, nobody else moves): the requests the
    /// greedy booked and the most expensive waiting requests that could go near them, every
    /// placement within four hours of the greedy's as a candidate. Its answer, when cheaper, is
    /// the fill; several short visits can then share a freed hour that the greedy gave to a long
    /// one.
    ///
    /// - Complexity: one offer search per waiting unit, and at most ``fillBudget``.
    mutating func fill(_ outcome: inout ChangeOutcome) -> String? {
        greedyFill(&outcome)
        if fillBudget > .zero, !outcome.booked.isEmpty { chooseFillByProgram(&outcome) }
        return nil
    }

    /// The greedy pass of ``fill(_:)``.
    private mutating func greedyFill(_ outcome: inout ChangeOutcome) {
        let ob = engine.instance.objective
        let waiting = engine.instance.requests.indices.filter { engine.instance.requests[$0].current == nil }
        func duration(_ r: Int) -> Int { typeOf(r)?.durationMinutes ?? 0 }
        let ranked = waiting.sorted { a, b in
            let ra = engine.instance.requests[a], rb = engine.instance.requests[b]
            let pa = ob.unscheduledPenalty[ra.priority], pb = ob.unscheduledPenalty[rb.priority]
            return (-pa, duration(a), ra.arrival, a) < (-pb, duration(b), rb.arrival, b)
        }
        var tried = Set<String>()
        for r in ranked {
            let id = engine.instance.requests[r].id
            guard !tried.contains(id), engine.instance.requests[r].current == nil else { continue }
            let members = unit(of: id)
            tried.formUnion(members)
            let result = engine.offers(for: id, limit: 1)
            guard let best = result.offers.first else { continue }
            let penalty = members.compactMap(requestIndex).reduce(0.0) { $0 + ob.unscheduledPenalty[engine.instance.requests[$1].priority] }
            guard best.cost.total < penalty else { continue }
            do throws(BookingError) { try engine.book(best) } catch { continue }
            syncCurrent(members)
            outcome.booked += best.placements
        }
    }

    /// The program's pass of ``fill(_:)``: re-chooses the greedy's bookings together with the
    /// most expensive waiting requests near them.
    private mutating func chooseFillByProgram(_ outcome: inout ChangeOutcome) {
        let greedy = outcome.booked
        let starts = greedy.map(\.start)
        let window = TimeSpan(start: max(now, starts.min()! - 240), end: starts.max()! + 300)
        var free = Set(greedy.map(\.request))
        let ob = engine.instance.objective
        let requests = engine.instance.requests
        let near = requests.indices.filter { r in
            requests[r].current == nil && requests[r].earliest < window.end && requests[r].latest >= window.start
                && (requests[r].authorization.map { $0.status == .approved } ?? true)
        }.sorted { (-ob.unscheduledPenalty[requests[$0].priority], $0) < (-ob.unscheduledPenalty[requests[$1].priority], $1) }
        for r in near where free.count < fillScope {
            let members = unit(of: requests[r].id)
            if members.allSatisfy({ id in requestIndex(id).map { requests[$0].current == nil || free.contains(id) } ?? false }) {
                free.formUnion(members)
            }
        }
        let indices = free.compactMap(requestIndex).sorted()
        guard let next = BatchOptimizer().reoptimize(engine, free: indices, window: window, timeLimit: fillBudget) else { return }
        let chosen = indices.compactMap { next.booking(of: engine.instance.requests[$0].id) }
        // Apply the program's choice in place of the greedy's, as `place` lines would be.
        let afterGreedy = self
        for p in greedy {
            guard let r = requestIndex(p.request) else { continue }
            engine.release(r)
            setCurrent(r, nil)
        }
        let ordered = placementOrder(chosen)
        for p in ordered where !apply(ClinicEvent(at: now, .place(p))).isApplied {
            self = afterGreedy
            return
        }
        outcome.booked = ordered
    }
}
