import AppointmentModel
@_spi(Optimizer) import RealTimeBooking

extension ClinicState {
    /// What `fill` would book now, without booking it: see ``fill(_:)``.
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
    /// Greedy, not an integer program over the freed time: see `Docs/living-clinic.md`.
    ///
    /// - Complexity: one offer search per waiting unit.
    mutating func fill(_ outcome: inout ChangeOutcome) -> String? {
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
        return nil
    }
}
