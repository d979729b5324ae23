import AppointmentModel
import RealTimeBooking

extension ClinicState {
    /// Applies one change at its `at`, whole or not at all.
    ///
    /// The clock moves to `at` (it never goes back) and every booking the change makes is decided
    /// then (rules 12 and 13). A refused change leaves the state exactly as it was, the clock
    /// included, and says why.
    ///
    /// - Complexity: every change works on the engine in place: an offer search for `book`, a
    ///   few for `fill`, O(1) for `confirm` and `arrive`, the provider's, room's or holds' tables
    ///   for `block`, `closeRoom` and `hold`, O(n) for `cancel` (the indices of the requests
    ///   after it shift), plus a search per displaced booking and at most the programs' budgets.
    public mutating func apply(_ event: ClinicEvent) -> ChangeOutcome {
        guard event.at >= now else {
            return .refused(event, "at goes back: the clock is already at minute \(now) and the line says minute \(event.at)")
        }
        // No copy of the state is kept for a rollback: it would make every change copy the
        // instance's arrays. Each change checks before it changes anything; only the clock moves
        // first, and moves back on a refusal.
        let clockBefore = now
        advanceClock(to: event.at)
        var outcome = ChangeOutcome(event: event)
        outcome.releasedHolds = engine.instance.holds.filter { $0.releaseTime > clockBefore && $0.releaseTime <= event.at }.map(\.id)
        let refusal: String?
        switch event.change {
        case .arrive(let request): refusal = arrive(request)
        case .book(let id): refusal = book(id, &outcome)
        case .place(let p): refusal = place(p, &outcome)
        case .cancel(let id): refusal = cancel(id, &outcome)
        case .unbook(let id): refusal = unbook(id, &outcome)
        case .confirm(let id): refusal = confirm(id)
        case .block(let provider, let span, let reason, let repair):
            refusal = block(provider, span, reason, repair: repair, &outcome)
        case .unblock(let provider, let span): refusal = unblock(provider, span)
        case .closeRoom(let room, let span, let repair): refusal = closeRoom(room, span, repair: repair, &outcome)
        case .hold(let hold, let repair): refusal = addHold(hold, repair: repair, &outcome)
        case .releaseHold(let id): refusal = releaseHold(id)
        case .authorize(let id, let authorization, let repair): refusal = authorize(id, authorization, repair: repair, &outcome)
        case .fill: refusal = fill(&outcome)
        }
        if let refusal {
            if now != clockBefore { engine.setAsOf(clockBefore) }
            return .refused(event, refusal)
        }
        return outcome
    }

    /// Moves the clock to `t` (never back): new bookings start at or after it and holds whose
    /// release time has passed admit every priority.
    public mutating func advanceClock(to t: Int) {
        guard t > now else { return }
        engine.setAsOf(t)
    }

    // MARK: Requests

    private mutating func arrive(_ request: Request) -> String? {
        if requestIndex(request.id) != nil { return "request \(request.id) is already in the clinic (ids are unique)" }
        let errors = InstanceChecker.arrivalErrors(request, in: engine.index)
        if let first = errors.first { return "request \(request.id) cannot join: \(first)" + (errors.count > 1 ? " (and \(errors.count - 1) more)" : "") }
        engine.appendRequest(request)
        return nil
    }

    private mutating func book(_ id: String, _ outcome: inout ChangeOutcome) -> String? {
        guard let r = requestIndex(id) else { return "unknown request \(id)" }
        if engine.instance.requests[r].current != nil { return "request \(id) is already booked; place it to move it" }
        let members = unit(of: id)
        let result = engine.offers(for: id, limit: 1)
        guard let best = result.offers.first else {
            return "no offer for request \(id): \(result.explanation?.main?.rawValue ?? "none found")"
        }
        do throws(BookingError) { try engine.book(best) } catch { return "\(error)" }
        syncCurrent(members)
        outcome.booked = best.placements
        return nil
    }

    private mutating func place(_ p: Placement, _ outcome: inout ChangeOutcome) -> String? {
        guard let r = requestIndex(p.request) else { return "unknown request \(p.request)" }
        let members = unit(of: p.request)
        var placements = [p]
        if members.count > 1, let gid = engine.instance.requests[r].group?.id {
            // A group is booked or moved whole: stage each member's line until all have come.
            let previous = stagedGroupPlacements[gid]
            var staged = previous ?? []
            staged.removeAll { $0.request == p.request }
            staged.append(p)
            guard Set(staged.map(\.request)) == Set(members) else {
                stagedGroupPlacements[gid] = staged
                return nil
            }
            placements = members.compactMap { m in staged.first { $0.request == m } }
            let old = placements.compactMap { q in requestIndex(q.request).flatMap(placement) }
            do throws(BookingError) {
                if !old.isEmpty, old.count != placements.count { throw .groupMustBeBookedWhole(group: gid) }
                if old.isEmpty { try engine.book(Offer(placements: placements)) } else { try engine.move(Offer(placements: placements)) }
            } catch {
                stagedGroupPlacements[gid] = previous  // the line changes nothing
                return "\(error)"
            }
            stagedGroupPlacements[gid] = nil
            record(placements, old: old, &outcome)
            return nil
        }
        let old = placements.compactMap { q in requestIndex(q.request).flatMap(placement) }
        let isMove = !old.isEmpty
        do throws(BookingError) {
            if isMove { try engine.move(Offer(placements: placements)) } else { try engine.book(Offer(placements: placements)) }
        } catch { return "\(error)" }
        record(placements, old: old, &outcome)
        return nil
    }

    /// Copies placed bookings into the state and the outcome.
    private mutating func record(_ placements: [Placement], old: [Placement], _ outcome: inout ChangeOutcome) {
        let isMove = !old.isEmpty
        syncCurrent(placements.map(\.request))
        if isMove {
            for (from, to) in zip(old, placements) where from != to { outcome.moved.append(Move(request: to.request, from: from, to: to)) }
        } else {
            outcome.booked = placements
        }
    }

    private mutating func confirm(_ id: String) -> String? {
        guard let r = requestIndex(id) else { return "unknown request \(id)" }
        guard engine.instance.requests[r].current != nil else { return "request \(id) is not booked; book it before confirming" }
        var current = engine.instance.requests[r].current!
        current.status = .confirmed
        setCurrent(r, current)
        return nil
    }

    /// The patient cancels: the request leaves with its group and, transitively, the series
    /// members that follow it.
    private mutating func cancel(_ id: String, _ outcome: inout ChangeOutcome) -> String? {
        guard requestIndex(id) != nil else { return "unknown request \(id) (a cancelled request is unknown from then on)" }
        var leaving = Set<String>()
        var queue = [id]
        while let next = queue.popLast() {
            for m in unit(of: next) where leaving.insert(m).inserted {
                queue += engine.instance.requests.filter { $0.after?.request == m }.map(\.id)
            }
        }
        outcome.cancelled = engine.instance.requests.map(\.id).filter(leaving.contains)
        for (g, staged) in stagedGroupPlacements { stagedGroupPlacements[g] = staged.filter { !leaving.contains($0.request) } }
        engine.removeRequests(Set(leaving.compactMap(requestIndex)))
        return nil
    }

    /// Cancels the booking only: the request (with its group and the booked series members that
    /// follow it) waits again.
    private mutating func unbook(_ id: String, _ outcome: inout ChangeOutcome) -> String? {
        guard let r = requestIndex(id) else { return "unknown request \(id)" }
        guard engine.instance.requests[r].current != nil else { return "request \(id) is not booked" }
        let freed = closure(of: [id])
        outcome.waiting = freed
        for m in freed {
            guard let k = requestIndex(m) else { continue }
            engine.release(k)
            setCurrent(k, nil)
        }
        return nil
    }

    /// The booked requests that must leave with `ids`: their groups and, transitively, the
    /// booked series members that follow them. In instance order.
    func closure(of ids: [String]) -> [String] {
        var out = Set<String>()
        var queue = ids
        while let next = queue.popLast() {
            for m in unit(of: next) where out.insert(m).inserted {
                queue += engine.instance.requests.filter { $0.after?.request == m && $0.current != nil }.map(\.id)
            }
        }
        return engine.instance.requests.map(\.id).filter { out.contains($0) && requestIndex($0).map { engine.instance.requests[$0].current != nil } == true }
    }

    // MARK: The clinic

    private mutating func block(_ provider: String, _ span: TimeSpan, _ reason: String?, repair: Bool,
                                _ outcome: inout ChangeOutcome) -> String? {
        guard let p = engine.index.provider[provider] else { return "unknown provider \(provider)" }
        let blocks = engine.instance.providers[p].blocks + [Block(span: span, reason: reason)]
        let hit = bookings { r, b in
            b.providers.contains(provider) && typeOf(r).map { $0.visit(at: b.start).overlaps(span) } == true
        }
        displace(hit.map { ($0, "\(provider) is away (\(reason ?? "blocked"))") }, repair: repair,
                 change: { $0.setBlocks(ofProvider: p, blocks) }, &outcome)
        return nil
    }

    private mutating func unblock(_ provider: String, _ span: TimeSpan) -> String? {
        guard let p = engine.index.provider[provider] else { return "unknown provider \(provider)" }
        guard let k = engine.instance.providers[p].blocks.firstIndex(where: { $0.span == span }) else {
            return "provider \(provider) has no block with exactly these bounds"
        }
        var blocks = engine.instance.providers[p].blocks
        blocks.remove(at: k)
        engine.setBlocks(ofProvider: p, blocks)
        return nil
    }

    private mutating func closeRoom(_ room: String, _ span: TimeSpan, repair: Bool, _ outcome: inout ChangeOutcome) -> String? {
        guard let k = engine.index.room[room] else { return "unknown room \(room)" }
        var open: [TimeSpan] = []
        for o in engine.instance.rooms[k].open {
            if !o.overlaps(span) { open.append(o); continue }
            if o.start < span.start { open.append(TimeSpan(start: o.start, end: span.start)) }
            if span.end < o.end { open.append(TimeSpan(start: span.end, end: o.end)) }
        }
        let hit = bookings { r, b in
            b.room == room && typeOf(r).map { $0.roomInterval(at: b.start).overlaps(span) } == true
        }
        displace(hit.map { ($0, "room \(room) is closed") }, repair: repair, change: { $0.setOpen(ofRoom: k, open) }, &outcome)
        return nil
    }

    private mutating func addHold(_ hold: Hold, repair: Bool, _ outcome: inout ChangeOutcome) -> String? {
        if engine.instance.holds.contains(where: { $0.id == hold.id }) { return "hold id \(hold.id) is in use" }
        guard engine.index.provider[hold.provider] != nil else { return "unknown provider \(hold.provider)" }
        if hold.priorities.isEmpty { return "hold \(hold.id): priorities is empty" }
        let holds = engine.instance.holds + [hold]
        let hit = bookings { r, b in
            b.providers.contains(hold.provider) && !hold.admits(engine.instance.requests[r].priority, decidedAt: now)
                && typeOf(r).map { $0.visit(at: b.start).overlaps(hold.span) } == true
        }
        displace(hit.map { ($0, "held by \(hold.id) for other priorities") }, repair: repair, change: { $0.setHolds(holds) }, &outcome)
        return nil
    }

    private mutating func releaseHold(_ id: String) -> String? {
        guard let k = engine.instance.holds.firstIndex(where: { $0.id == id }) else { return "no hold \(id)" }
        var holds = engine.instance.holds
        holds.remove(at: k)
        engine.setHolds(holds)
        return nil
    }

    private mutating func authorize(_ id: String, _ authorization: Authorization, repair: Bool,
                                    _ outcome: inout ChangeOutcome) -> String? {
        guard let r = requestIndex(id) else { return "unknown request \(id)" }
        var hit: [Int] = []
        if let b = engine.instance.requests[r].current, let t = typeOf(r), !authorization.allows(t.visit(at: b.start)) { hit = [r] }
        displace(hit.map { ($0, "authorization is \(authorization.status.rawValue) or does not cover the visit") },
                 repair: repair, change: { $0.setAuthorization(ofRequest: r, authorization) }, &outcome)
        return nil
    }

    // MARK: Helpers

    func typeOf(_ r: Int) -> AppointmentType? {
        engine.index.requestType[r].map { engine.instance.appointmentTypes[$0] }
    }

    /// Indices of booked requests whose booking satisfies `test`.
    func bookings(where test: (Int, ExistingBooking) -> Bool) -> [Int] {
        engine.instance.requests.indices.filter { r in engine.instance.requests[r].current.map { test(r, $0) } ?? false }
    }
}
