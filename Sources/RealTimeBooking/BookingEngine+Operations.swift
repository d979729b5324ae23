import AppointmentModel

extension BookingEngine {
    // MARK: Offers

    /// The best offers for request `id` right now, ranked by `policy`, or why there are none.
    ///
    /// A request in a group gets offers for the whole group (one placement per member). A booked
    /// request gets offers to move it (its own booking does not block them; the move cost counts).
    /// The state is the same after the call.
    ///
    /// - Complexity: see the single-request search (Docs/real-time-booking.md); a group multiplies it by its size and by `4 × limit + 12`
    ///   start candidates of its first member, each searched in a narrow window.
    public mutating func offers(for id: String, limit: Int = 5, policy: some RankingPolicy = BestFit()) -> OfferResult {
        offers(for: id, query: OfferQuery(limit: limit), policy: policy)
    }

    /// The best offers for request `id` right now that answer `query` (how many, how many
    /// starts per free gap, not before an instant, other than the current booking), ranked by
    /// `policy`, or why there are none. The state is the same after the call.
    ///
    /// - Complexity: as ``offers(for:limit:policy:)``, times `query.startsPerGap` checks per gap.
    public mutating func offers(for id: String, query: OfferQuery, policy: some RankingPolicy = BestFit()) -> OfferResult {
        guard let r = index.request[id] else {
            return OfferResult(offers: [], explanation: Explanation(counts: [.unknownRequest: 1]))
        }
        let members = groupMembers(r)
        // Offers for a booked request (or group) are offers to move it: lift it out meanwhile.
        let lifted = members.compactMap { m in booked[m].map { (m, $0) } }
        for (m, _) in lifted { uncommit(m) }
        // "Not before": the decision time bounds every window from below; raise it meanwhile.
        let now = decisionTime
        if let notBefore = query.notBefore { decisionTime = max(decisionTime, notBefore) }
        defer {
            decisionTime = now
            for (m, b) in lifted { commit(m, b) }
        }
        var why = Explanation.Tally()
        var candidates: [Offer]
        let extra = query.excludingCurrent && !lifted.isEmpty ? 1 : 0
        if members.count > 1 {
            candidates = searchGroup(members, limit: query.limit + extra, policy: policy, why: &why)
        } else {
            candidates = searchSingle(r, limit: query.limit + extra, policy: policy, startsPerGap: query.startsPerGap, why: &why)
                .map { offer([(r, $0)]) }
        }
        if extra > 0 {
            // Other than the current booking: a different start or another provider (a change of
            // room alone is the same slot for the patient).
            let current = Dictionary(uniqueKeysWithValues: lifted.map { ($0.0, $0.1) })
            candidates.removeAll { o in
                o.placements.allSatisfy { p in
                    guard let m = index.request[p.request], let b = current[m] else { return false }
                    return b.start == p.start && Set(b.providers.map { instance.providers[$0].id }) == Set(p.providers)
                }
            }
            candidates = Array(candidates.prefix(query.limit))
        }
        if candidates.isEmpty && why.isEmpty { why.add(.noSessionInWindow) }
        return OfferResult(offers: candidates, explanation: candidates.isEmpty ? Explanation(why) : nil)
    }

    func offer(_ parts: [(Int, Candidate)]) -> Offer {
        Offer(placements: parts.map { placement($0.0, $0.1.booking) },
              cost: parts.reduce(MarginalCost()) { $0 + $1.1.cost },
              score: parts.reduce(0) { $0 + $1.1.score })
    }

    /// The members of `r`'s group in placement order (sequence order, or file order), or `[r]`.
    package func groupMembers(_ r: Int) -> [Int] {
        guard let g = instance.requests[r].group, let members = index.groups[g.id], members.count > 1 else { return [r] }
        if g.mode == .sequence {
            return members.sorted { (instance.requests[$0].group?.order ?? 0, $0) < (instance.requests[$1].group?.order ?? 0, $1) }
        }
        return members
    }

    /// Whole-group offers: candidates of the first member, each completed member by member in
    /// the window its group rule leaves (the same start, or after the previous visit within the
    /// gap), each member booked tentatively so that members do not collide.
    private mutating func searchGroup(_ members: [Int], limit: Int, policy: some RankingPolicy,
                                      why: inout Explanation.Tally) -> [Offer] {
        guard let mode = instance.requests[members[0]].group?.mode,
              let gap = instance.requests[members[0]].group?.maxGapMinutes else { return [] }
        let firsts = searchSingle(members[0], limit: max(limit, 1) * 4 + 12, policy: policy, why: &why)
        var found: [(score: Double, start: Int, parts: [(Int, Candidate)])] = []
        for first in firsts {
            var parts: [(Int, Candidate)] = [(members[0], first)]
            commit(members[0], first.booking)
            var ok = true
            for m in members.dropFirst() {
                let (prev, prevCandidate) = parts.last!
                let within: (lo: Int, hi: Int)
                if mode == .sameStart {
                    within = (first.booking.start, first.booking.start)
                } else {
                    let end = prevCandidate.booking.start + (index.requestType[prev].map { instance.appointmentTypes[$0].durationMinutes } ?? 0)
                    within = (end, end + gap)
                }
                guard let next = searchSingle(m, limit: 1, policy: policy, within: within, why: &why).first else {
                    ok = false
                    break
                }
                commit(m, next.booking)
                parts.append((m, next))
            }
            for (m, _) in parts.reversed() { uncommit(m) }
            if ok {
                found.append((parts.reduce(0) { $0 + $1.1.score }, first.booking.start, parts))
            } else {
                why.add(.groupIncomplete)
            }
        }
        found.sort { ($0.score, $0.start) < ($1.score, $1.start) }
        return found.prefix(limit).map { offer($0.parts) }
    }

    // MARK: Book, cancel, move

    /// Books every placement of `offer`, all or nothing.
    ///
    /// Checks every hard rule against the current state: a conflict names the resource and the
    /// time. A group must be booked whole; a series member needs its predecessor booked.
    public mutating func book(_ offer: Offer) throws(BookingError) {
        let resolved = try resolveAll(offer)
        for (r, _) in resolved where booked[r] != nil { throw .alreadyBooked(instance.requests[r].id) }
        try checkGroupsWhole(resolved)
        try place(resolved)
    }

    /// Cancels request `id`'s booking (the whole group for a group member).
    ///
    /// Refused for a pinned booking, and while a series successor is still booked.
    public mutating func cancel(_ id: String) throws(BookingError) {
        guard let r = index.request[id] else { throw .unknownRequest(id) }
        guard booked[r] != nil else { throw .notBooked(id) }
        let members = groupMembers(r)
        for m in members {
            if instance.requests[m].current?.pinned == true { throw .pinned(instance.requests[m].id) }
            for s in successors[m] where booked[s] != nil && !members.contains(s) {
                throw .successorBooked(request: instance.requests[m].id, successor: instance.requests[s].id)
            }
        }
        for m in members where booked[m] != nil { uncommit(m) }
    }

    /// Moves booked requests to the placements of `offer`, all or nothing: on any conflict the
    /// old bookings stay exactly as they were. Pinned bookings refuse to move.
    public mutating func move(_ offer: Offer) throws(BookingError) {
        let resolved = try resolveAll(offer)
        for (r, _) in resolved {
            guard booked[r] != nil else { throw .notBooked(instance.requests[r].id) }
            if instance.requests[r].current?.pinned == true { throw .pinned(instance.requests[r].id) }
        }
        try checkGroupsWhole(resolved)
        let old = resolved.map { ($0.0, booked[$0.0]!) }
        for (r, _) in old { uncommit(r) }
        do {
            try place(resolved)
        } catch {
            for (r, b) in old { commit(r, b) }
            throw error
        }
    }

    private func resolveAll(_ offer: Offer) throws(BookingError) -> [(Int, Booking)] {
        var out: [(Int, Booking)] = []
        for p in offer.placements {
            guard let r = index.request[p.request] else { throw .unknownRequest(p.request) }
            guard !out.contains(where: { $0.0 == r }) else {
                throw .invalidPlacement(request: p.request, reason: "placed twice in one offer")
            }
            out.append((r, try resolve(p)))
        }
        return out
    }

    /// A group is booked, moved or cancelled whole: an offer touching a member covers them all.
    private func checkGroupsWhole(_ resolved: [(Int, Booking)]) throws(BookingError) {
        for (r, _) in resolved {
            guard let g = instance.requests[r].group else { continue }
            let members = groupMembers(r)
            if members.count > 1 && !members.allSatisfy({ m in resolved.contains { $0.0 == m } }) {
                throw .groupMustBeBookedWhole(group: g.id)
            }
        }
    }

    /// Places the bookings one by one, checking each against the state with the previous ones
    /// placed (so they cannot collide), then the group and series relations; all or nothing.
    private mutating func place(_ resolved: [(Int, Booking)]) throws(BookingError) {
        var done: [Int] = []
        func rollback() { for r in done.reversed() { uncommit(r) } }
        for (r, b) in resolved {
            if let link = instance.requests[r].after {
                guard let p = index.request[link.request], let pb = booked[p] else {
                    rollback()
                    throw .predecessorNotBooked(request: instance.requests[r].id, predecessor: link.request)
                }
                if b.start < pb.start + link.minGapMinutes || b.start > pb.start + link.maxGapMinutes {
                    rollback()
                    throw .invalidPlacement(request: instance.requests[r].id,
                                            reason: "must start \(link.minGapMinutes)–\(link.maxGapMinutes) min after \(link.request)")
                }
            }
            for s in successors[r] {
                guard let sb = booked[s], let link = instance.requests[s].after else { continue }
                if sb.start < b.start + link.minGapMinutes || sb.start > b.start + link.maxGapMinutes {
                    rollback()
                    throw .invalidPlacement(request: instance.requests[r].id,
                                            reason: "its successor \(instance.requests[s].id) would fall outside its gap")
                }
            }
            if let failure = blockingFailure(r, b) {
                rollback()
                throw failure.error
            }
            commit(r, b)
            done.append(r)
        }
        if let failure = groupRuleFailure(resolved) {
            rollback()
            throw failure
        }
    }

    /// Same start, or sequence within the gap, for the groups among `resolved`.
    private func groupRuleFailure(_ resolved: [(Int, Booking)]) -> BookingError? {
        var seen = Set<String>()
        for (r, _) in resolved {
            guard let g = instance.requests[r].group, seen.insert(g.id).inserted else { continue }
            let members = groupMembers(r)
            guard members.count > 1 else { continue }
            let starts = members.compactMap { booked[$0]?.start }
            guard starts.count == members.count else { return .groupMustBeBookedWhole(group: g.id) }
            switch g.mode {
            case .sameStart:
                if Set(starts).count > 1 { return .invalidPlacement(request: instance.requests[r].id, reason: "group \(g.id) must start together") }
            case .sequence:
                for (a, b) in zip(members, members.dropFirst()) {
                    let end = booked[a]!.start + (index.requestType[a].map { instance.appointmentTypes[$0].durationMinutes } ?? 0)
                    let next = booked[b]!.start
                    if next < end || next > end + g.maxGapMinutes {
                        return .invalidPlacement(request: instance.requests[b].id,
                                                 reason: "group \(g.id): must start within \(g.maxGapMinutes) min after \(instance.requests[a].id) ends")
                    }
                }
            }
        }
        return nil
    }
}
