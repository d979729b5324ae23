import AppointmentModel
@_spi(Optimizer) import RealTimeBooking

extension ClinicState {
    /// Takes the bookings `hits` (request index, reason) out of the schedule with their groups,
    /// then, when `repair` is set, re-places each with the least disruption; what cannot be
    /// re-placed waits again, with the booked series members that follow it. Nothing is lost:
    /// every displaced request is either booked again or on the waiting list.
    ///
    /// Least disruption: among the best offers, one that keeps the start and the providers (a
    /// change of room alone) first, then the lowest marginal cost plus the move cost of the
    /// booking's status, then the nearest start.
    ///
    /// - Complexity: one rebuild of the engine and one offer search per displaced unit.
    mutating func displace(_ hits: [(Int, String)], repair: Bool, _ outcome: inout ChangeOutcome) {
        guard !hits.isEmpty else { rebuild(); return }
        var reasons: [String: String] = [:]
        for (r, why) in hits { reasons[instance.requests[r].id] = why }
        for (r, why) in hits {
            for m in unit(of: instance.requests[r].id) where reasons[m] == nil {
                reasons[m] = "group member \(instance.requests[r].id) displaced: \(why)"
            }
        }
        let order = instance.requests.indices.filter { reasons[instance.requests[$0].id] != nil }
        var old: [String: (placement: Placement, status: BookingStatus)] = [:]
        for r in order {
            let id = instance.requests[r].id
            old[id] = (placement(r)!, instance.requests[r].current!.status)
            outcome.displaced.append(Displacement(request: id, from: old[id]!.placement, reason: reasons[id]!))
            instance.requests[r].current = nil
        }
        rebuild()
        var unplaced: [String] = []
        var done = Set<String>()
        // Predecessors before their successors: a successor's window depends on its predecessor.
        let ids = order.map { instance.requests[$0].id }.sorted { a, b in depth(a) < depth(b) }
        for id in ids where !done.contains(id) {
            let members = unit(of: id)
            done.formUnion(members)
            if repair, let offer = leastDisruptive(id, old: old) {
                do throws(BookingError) {
                    try engine.book(offer)
                    syncCurrent(members)
                    for p in offer.placements {
                        guard let before = old[p.request] else { continue }
                        outcome.moved.append(Move(request: p.request, from: before.placement, to: p))
                        // A change of room alone does not concern the patient: a confirmed visit stays confirmed.
                        if before.status == .confirmed, before.placement.start == p.start, before.placement.providers == p.providers,
                           let r = requestIndex(p.request) {
                            instance.requests[r].current?.status = .confirmed
                            outcome.stillConfirmed.append(p.request)
                        }
                    }
                    continue
                } catch {}
            }
            unplaced += members
        }
        // A series member cannot stay booked without its predecessor.
        var queue = unplaced
        while let id = queue.popLast() {
            for s in instance.requests.indices where instance.requests[s].after?.request == id && instance.requests[s].current != nil {
                let sid = instance.requests[s].id
                outcome.displaced.append(Displacement(request: sid, from: placement(s)!, reason: "its series predecessor \(id) could not be re-placed"))
                for m in closure(of: [sid]) {
                    if let k = requestIndex(m) { instance.requests[k].current = nil }
                    unplaced.append(m)
                    queue.append(m)
                }
            }
        }
        if unplaced.count > 0 { rebuild() }
        outcome.waiting += instance.requests.map(\.id).filter(Set(unplaced).contains)
    }

    /// How many series links lead back from request `id` (0 for a request without `after`).
    private func depth(_ id: String) -> Int {
        var d = 0
        var cur = id
        while d < 64, let r = requestIndex(cur), let p = instance.requests[r].after?.request { d += 1; cur = p }
        return d
    }

    /// The unit of `id` at its old starts with its old providers, each in-person member in the
    /// first room of a fitting kind that takes it: the repair that the patients do not notice.
    private func sameTimeAnotherRoom(_ id: String, old: [String: (placement: Placement, status: BookingStatus)]) -> Offer? {
        var trial = engine
        var placements: [Placement] = []
        for m in unit(of: id) {
            guard let before = old[m]?.placement, let r = requestIndex(m), let type = typeOf(r) else { return nil }
            var options = [before]
            if type.isInPerson {
                options = instance.rooms.filter { $0.kinds.contains(where: type.roomKinds.contains) }.map {
                    Placement(request: m, providers: before.providers, room: $0.id, start: before.start)
                }
            }
            guard let fit = options.first(where: { p in
                var probe = trial
                return (try? probe.placeForOptimizer(r, p)) != nil
            }) else { return nil }
            try? trial.placeForOptimizer(r, fit)
            placements.append(fit)
        }
        return Offer(placements: placements)
    }

    /// The offer that disturbs the displaced unit of `id` least (see ``displace(_:repair:_:)``).
    private mutating func leastDisruptive(_ id: String, old: [String: (placement: Placement, status: BookingStatus)]) -> Offer? {
        if let sameTime = sameTimeAnotherRoom(id, old: old) { return sameTime }
        let offers = engine.offers(for: id, limit: 8).offers
        let ob = instance.objective
        func key(_ o: Offer) -> (Int, Double, Int) {
            var moves = 0.0, moved = 0, distance = 0
            for p in o.placements {
                guard let before = old[p.request] else { continue }
                if before.placement.start != p.start || Set(before.placement.providers) != Set(p.providers) {
                    moved = 1
                    moves += ob.moveCost[before.status]
                }
                distance += abs(before.placement.start - p.start)
            }
            return (moved, o.cost.total + moves, distance)
        }
        return offers.min { key($0) < key($1) }
    }
}
