import AppointmentModel
import BatchOptimizer
import RealTimeBooking

extension ClinicState {
    /// Takes the bookings `hits` (request index, reason) out of the schedule with their groups and,
    /// transitively, the booked series members that follow them (a series member is booked only
    /// with its predecessor); then, when `repair` is set, re-places them with the least
    /// disruption, predecessors first: a greedy pass (the same time and providers in another room
    /// first, else the best offer counting the move), then an integer program over what is still
    /// waiting and the bookings near it (``repairByProgram(_:old:_:)``). What cannot be re-placed
    /// waits again. Nothing is lost: every displaced request is booked again or waiting.
    ///
    /// With `repair` off, every displaced request waits: that is what a journal's `"repair": false`
    /// line does before the lines of the repairs that followed it.
    ///
    /// - Complexity: the change itself, one offer search per displaced unit, and at most
    ///   ``repairBudget`` for the program.
    mutating func displace(_ hits: [(Int, String)], repair: Bool, change: (inout BookingEngine) -> Void,
                           _ outcome: inout ChangeOutcome) {
        guard !hits.isEmpty else { change(&engine); return }
        var reasons: [String: String] = [:]
        for (r, why) in hits { reasons[engine.instance.requests[r].id] = why }
        for (r, why) in hits {
            for m in unit(of: engine.instance.requests[r].id) where reasons[m] == nil {
                reasons[m] = "group member \(engine.instance.requests[r].id) displaced: \(why)"
            }
        }
        var queue = Array(reasons.keys)
        while let id = queue.popLast() {
            for s in engine.instance.requests where s.after?.request == id && s.current != nil {
                for m in unit(of: s.id) where reasons[m] == nil {
                    reasons[m] = "follows \(id), which was displaced"
                    queue.append(m)
                }
            }
        }
        let order = engine.instance.requests.indices.filter { reasons[engine.instance.requests[$0].id] != nil }
        var old: [String: (placement: Placement, status: BookingStatus)] = [:]
        for r in order {
            let id = engine.instance.requests[r].id
            old[id] = (placement(r)!, engine.instance.requests[r].current!.status)
            outcome.displaced.append(Displacement(request: id, from: old[id]!.placement, reason: reasons[id]!))
            engine.release(r)
            setCurrent(r, nil)
        }
        change(&engine)
        var unplaced: [String] = []
        var done = Set<String>()
        // Predecessors before their successors: a successor's window depends on its predecessor.
        let ids = predecessorsFirst(order.map { engine.instance.requests[$0].id })
        for id in ids where !done.contains(id) {
            let members = unit(of: id)
            done.formUnion(members)
            if repair, let offer = leastDisruptive(id, old: old) {
                do throws(BookingError) {
                    try engine.book(offer)
                    syncCurrent(members)
                    outcome.repairLines += offer.placements.map { ClinicEvent(at: now, .place($0)) }
                    for p in offer.placements {
                        guard let before = old[p.request] else { continue }
                        outcome.repaired.append(Move(request: p.request, from: before.placement, to: p))
                        if before.placement != p { outcome.moved.append(Move(request: p.request, from: before.placement, to: p)) }
                        // Same time, same providers: the patient sees no change; a confirmed visit stays confirmed.
                        if before.status == .confirmed, before.placement.start == p.start, before.placement.providers == p.providers,
                           let r = requestIndex(p.request) {
                            var current = engine.instance.requests[r].current!
                            current.status = .confirmed
                            setCurrent(r, current)
                            outcome.stillConfirmed.append(p.request)
                            outcome.repairLines.append(ClinicEvent(at: now, .confirm(request: p.request)))
                        }
                    }
                    continue
                } catch {}
            }
            unplaced += members
        }
        if repair, !unplaced.isEmpty, repairBudget > .zero {
            unplaced = repairByProgram(unplaced, old: old, &outcome)
        }
        outcome.waiting += engine.instance.requests.map(\.id).filter(Set(unplaced).contains)
    }

    /// The second stage of a repair: the displaced requests still waiting and the bookings near
    /// their old places (providers who could see them, or their old rooms; the same day; at most ``repairScope`` in all, none
    /// pinned or in the past) as one integer program under ``repairBudget``, which may move those
    /// bookings to make room. Its answer is applied as `unbook` and `place` lines, so that the
    /// journal restores it exactly; when a line does not apply, nothing of it is kept.
    ///
    /// - Returns: the displaced requests still waiting.
    private mutating func repairByProgram(_ unplaced: [String], old: [String: (placement: Placement, status: BookingStatus)],
                                          _ outcome: inout ChangeOutcome) -> [String] {
        // Only requests that some schedule could book (an approved authorization, or none needed).
        let bookable = unplaced.filter { id in
            requestIndex(id).map { engine.instance.requests[$0].authorization.map { $0.status == .approved } ?? true } ?? false
        }
        guard !bookable.isEmpty else { return unplaced }
        let displacedSet = Set(unplaced)
        var free = Set(bookable)
        let anchors = bookable.compactMap { old[$0]?.placement }
        func movable(_ r: Int) -> Bool {
            closure(of: [engine.instance.requests[r].id]).allSatisfy { m in
                guard let k = requestIndex(m), let c = engine.instance.requests[k].current else { return true }
                return !c.pinned && c.start >= now
            }
        }
        // Providers who could see the waiting requests, and their old rooms.
        var providers = Set<String>()
        for id in bookable {
            guard let r = requestIndex(id), let type = typeOf(r) else { continue }
            let allowed = engine.instance.requests[r].providers.map(Set.init)
            for p in engine.instance.providers where type.roles.contains(where: { Set($0.skills).isSubset(of: p.skills) })
                && (allowed?.contains(p.id) ?? true) { providers.insert(p.id) }
        }
        let rooms = Set(anchors.compactMap(\.room))
        var near: [(distance: Int, id: String)] = []
        for r in engine.instance.requests.indices {
            guard let c = engine.instance.requests[r].current, c.start >= now, !c.pinned,
                  !providers.isDisjoint(with: c.providers) || c.room.map(rooms.contains) == true,
                  let d = anchors.map({ abs($0.start - c.start) }).min(), d < 720 else { continue }
            near.append((d, engine.instance.requests[r].id))
        }
        for (_, id) in near.sorted(by: { ($0.distance, $0.id) < ($1.distance, $1.id) }) where free.count < repairScope {
            guard let r = requestIndex(id), movable(r) else { continue }
            free.formUnion(unit(of: id))
        }
        let indices = free.compactMap(requestIndex).sorted()
        // Every placement within four hours of the old places (and not before the clock).
        let starts = anchors.map(\.start)
        let window = TimeSpan(start: max(now, (starts.min() ?? now) - 240), end: (starts.max() ?? now) + 300)
        guard let next = BatchOptimizer().reoptimize(engine, free: indices, window: window, timeLimit: repairBudget) else { return unplaced }
        // The program's schedule as lines: lift what moves, then place everything it lifted.
        var changed: [String] = []
        for id in indices.map({ engine.instance.requests[$0].id }) where engine.booking(of: id) != next.booking(of: id) { changed.append(id) }
        let movedBooked = changed.filter { engine.booking(of: $0) != nil }
        let lifted = closure(of: movedBooked)
        let toPlace = (lifted + changed.filter { engine.booking(of: $0) == nil }).filter { next.booking(of: $0) != nil }
        guard toPlace.contains(where: displacedSet.contains) else { return unplaced }
        var lines: [ClinicEvent] = []
        var liftedSoFar = Set<String>()
        for id in movedBooked where !liftedSoFar.contains(id) {
            liftedSoFar.formUnion(closure(of: [id]))
            lines.append(ClinicEvent(at: now, .unbook(request: id)))
        }
        let ordered = predecessorsFirst(toPlace)
        lines += ordered.compactMap { id in next.booking(of: id).map { ClinicEvent(at: now, .place($0)) } }
        var confirmed: [String] = []
        for id in lifted {
            guard let r = requestIndex(id), let c = engine.instance.requests[r].current, c.status == .confirmed, let p = next.booking(of: id),
                  p.start == c.start, Set(p.providers) == Set(c.providers) else { continue }
            confirmed.append(id)
        }
        lines += confirmed.map { ClinicEvent(at: now, .confirm(request: $0)) }
        let beforeState = self
        let beforePlacements = Dictionary(uniqueKeysWithValues: toPlace.map { ($0, engine.booking(of: $0) ?? old[$0]?.placement) })
        for line in lines where !apply(line).isApplied {
            self = beforeState
            return unplaced
        }
        outcome.repairLines += lines
        outcome.stillConfirmed += confirmed.filter(displacedSet.contains)
        for id in toPlace {
            guard let from = beforePlacements[id] ?? nil, let to = booking(of: id) else { continue }
            if displacedSet.contains(id) { outcome.repaired.append(Move(request: id, from: from, to: to)) }
            if from != to { outcome.moved.append(Move(request: id, from: from, to: to)) }
        }
        return unplaced.filter { booking(of: $0) == nil }
    }

    /// How many series links lead back from request `id` (0 for a request without `after`).
    func depth(_ id: String) -> Int {
        var d = 0
        var cur = id
        while d < 64, let r = requestIndex(cur), let p = engine.instance.requests[r].after?.request { d += 1; cur = p }
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
                options = engine.instance.rooms.filter { $0.kinds.contains(where: type.roomKinds.contains) }.map {
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
        let ob = engine.instance.objective
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

    /// Requests ordered so that a series predecessor comes before its successors (then in
    /// instance order): the order in which they can be placed one by one.
    func predecessorsFirst(_ ids: [String]) -> [String] {
        ids.sorted { (depth($0), requestIndex($0) ?? 0) < (depth($1), requestIndex($1) ?? 0) }
    }

    /// Placements in ``predecessorsFirst(_:)`` order.
    func placementOrder(_ placements: [Placement]) -> [Placement] {
        let order = Dictionary(uniqueKeysWithValues: predecessorsFirst(placements.map(\.request)).enumerated().map { ($1, $0) })
        return placements.sorted { (order[$0.request] ?? 0) < (order[$1.request] ?? 0) }
    }
}
