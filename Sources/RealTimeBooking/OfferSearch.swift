import AppointmentModel

/// One candidate placement found by the search, with its cost and score.
struct Candidate {
    var booking: BookingEngine.Booking
    var cost: MarginalCost
    var score: Double

    /// The deterministic order of candidates: score, then start, then providers, then room.
    static func precedes(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.score != b.score { return a.score < b.score }
        if a.booking.start != b.booking.start { return a.booking.start < b.booking.start }
        if a.booking.providers != b.booking.providers { return a.booking.providers.lexicographicallyPrecedes(b.booking.providers) }
        return (a.booking.room ?? -1) < (b.booking.room ?? -1)
    }
}

/// The best `limit` candidates seen so far, in order.
struct TopCandidates {
    let limit: Int
    private(set) var items: [Candidate] = []

    var isFull: Bool { items.count >= limit }
    var worstScore: Double { items.last?.score ?? .infinity }

    mutating func offer(_ c: Candidate) {
        guard !items.contains(where: { $0.booking == c.booking }) else { return }
        if isFull, let last = items.last, !Candidate.precedes(c, last) { return }
        let i = items.firstIndex { Candidate.precedes(c, $0) } ?? items.count
        items.insert(c, at: i)
        if items.count > limit { items.removeLast() }
    }
}

extension BookingEngine {
    /// The start window of request `r` given the horizon, its type and its series links (the
    /// predecessor's booking, and booked successors that must stay within their gaps).
    /// Nil with a reason when empty.
    ///
    /// - Parameter ignoring: series partners whose link is left out (the optimiser places them
    ///   in the same model and links them there).
    func window(_ r: Int, type: AppointmentType, ignoring: Set<Int> = []) -> (lo: Int, hi: Int)? {
        let request = instance.requests[r]
        var lo = max(request.earliest, instance.horizon.start + type.setupMinutes)
        var hi = min(request.latest, instance.horizon.end - type.durationMinutes - type.cleanupMinutes)
        lo = max(lo, decisionTime)  // rule 13: a new booking starts at or after the decision time
        if instance.usesVersion2Rules, let auth = request.authorization {  // rule 11
            guard auth.status == .approved else { return nil }
            if let from = auth.validFrom { lo = max(lo, from) }
            if let until = auth.validUntil { hi = min(hi, until - type.durationMinutes) }
        }
        if let link = request.after, index.request[link.request].map({ !ignoring.contains($0) }) ?? true {
            guard let p = index.request[link.request], let pb = booked[p] else { return nil }
            lo = max(lo, pb.start + link.minGapMinutes)
            hi = min(hi, pb.start + link.maxGapMinutes)
        }
        for s in successors[r] {
            guard let sb = booked[s], let link = instance.requests[s].after else { continue }
            lo = max(lo, sb.start - link.maxGapMinutes)
            hi = min(hi, sb.start - link.minGapMinutes)
        }
        let g = instance.granularityMinutes
        lo = Self.alignUp(lo, g)
        return lo <= hi ? (lo, hi) : nil
    }

    static func alignUp(_ x: Int, _ g: Int) -> Int { x % g == 0 ? x : x - ((x % g) + g) % g + g }
    static func alignDown(_ x: Int, _ g: Int) -> Int { x - ((x % g) + g) % g }

    /// The best candidates for request `r` alone, within `within` (or its window), ranked by
    /// `policy`. Records why candidates failed in `why`.
    ///
    /// The search goes through the first role's qualified providers' sessions in the window, in
    /// order of their earliest start, and tries only the starts where the marginal cost can be
    /// lowest: the session's first free start, right after each visit, right before each visit.
    /// Between those points the cost moves monotonically, so nothing better is skipped. Sessions
    /// whose lower bound cannot beat the `limit`-th best are not opened.
    ///
    /// - Complexity: O(S × (v + k)) checks for S sessions in the window, v visits in a session and
    ///   k grid steps to the next free start; each check is a few word operations.
    func searchSingle(_ r: Int, limit: Int, policy: some RankingPolicy, within: (lo: Int, hi: Int)? = nil,
                      ignoring: Set<Int> = [], startsPerGap: Int = 1, why: inout Explanation.Tally) -> [Candidate] {
        let request = instance.requests[r]
        guard let t = index.requestType[r] else { why.add(.noQualifiedProvider); return [] }
        let type = instance.appointmentTypes[t]
        guard var w = window(r, type: type, ignoring: ignoring) else {
            if instance.usesVersion2Rules, let auth = request.authorization, auth.status != .approved {
                why.add(.notAuthorized)
            } else {
                why.add(request.after != nil && index.request[request.after!.request].map { booked[$0] == nil } == true
                        ? .predecessorNotBooked : .windowOutsideHorizon)
            }
            return []
        }
        if let within {
            w = (max(w.lo, Self.alignUp(within.lo, instance.granularityMinutes)), min(w.hi, within.hi))
            guard w.lo <= w.hi else { why.add(.noSessionInWindow); return [] }
        }
        let allowed: Set<Int>? = request.providers.map { Set($0.compactMap { index.provider[$0] }) }
        let allowedLocations: Set<Int>? = type.isInPerson ? request.locations.map { Set($0.compactMap { index.location[$0] }) } : nil
        let first = qualified[t][0].filter { allowed?.contains($0) ?? true }
        guard !first.isEmpty else { why.add(.noQualifiedProvider); return [] }
        let duration = type.durationMinutes
        let g = instance.granularityMinutes

        // Sessions of first-role providers that meet the window, with their earliest start.
        var sessions: [(t0: Int, provider: Int, session: Int)] = []
        for p in first {
            let list = index.sessions[p]
            var k = InstanceIndex.lastIndex(in: list, atMost: w.lo) { $0.span.start }
            k = max(k, 0)
            while k < list.count, list[k].span.start <= w.hi {
                let span = list[k].span
                let loc = sessionLocation[p][k]
                let t0 = Self.alignUp(max(w.lo, span.start), g)
                if t0 + duration <= span.end, t0 <= w.hi,
                   !type.isInPerson || ((allowedLocations?.contains(loc) ?? true) && loc >= 0 && !roomsFor[t][loc].isEmpty) {
                    sessions.append((t0, p, k))
                }
                k += 1
            }
        }
        guard !sessions.isEmpty else { why.add(.noSessionInWindow); return [] }
        sessions.sort { ($0.t0, $0.provider, $0.session) < ($1.t0, $1.provider, $1.session) }

        let ob = instance.objective
        let leadPerMinute = ob.leadCostPerDay[request.priority] / 1440
        let bestIdle = -ob.idleMinuteCost * Double(duration * type.roles.count)
        var top = TopCandidates(limit: max(limit, 1))
        for s in sessions {
            let lead = leadPerMinute * Double(s.t0 - request.earliest)
            if top.isFull, policy.lowerBound(lead: lead, bestIdleChange: bestIdle, start: s.t0) >= top.worstScore { break }
            let span = index.sessions[s.provider][s.session].span
            let last = min(w.hi, span.end - duration)
            guard last >= s.t0 else { continue }
            // The provider's free gaps in the session that can hold the visit. Inside a gap the
            // cost is monotone in the start (the lead grows; the idle change is constant between
            // two visits, grows after the last and shrinks before the first), so the first
            // feasible start from the left suffices, plus the last from the right before the
            // first visit.
            let visits = sessionVisits[s.provider][s.session]
            var cursor = s.t0
            var gaps: [(from: Int, to: Int, beforeFirst: Bool)] = []
            for (i, v) in visits.enumerated() where v.end > cursor {
                if v.start - cursor >= duration { gaps.append((cursor, v.start - duration, i == 0)) }
                cursor = max(cursor, v.end)
            }
            if last >= cursor { gaps.append((cursor, last, false)) }
            if gaps.isEmpty { why.add(.sessionsFull) }
            for gap in gaps {
                let hi = min(gap.to, last)
                var start = Self.alignUp(gap.from, g)
                var found: Int?
                var taken = 0
                while start <= hi {
                    if let c = candidate(r, type: type, t: t, provider: s.provider, start: start, allowed: allowed,
                                         policy: policy, why: &why) {
                        top.offer(c)
                        if found == nil { found = start }
                        taken += 1
                        if taken >= startsPerGap { break }
                    }
                    start += g
                }
                if gap.beforeFirst, let found {
                    var back = Self.alignDown(hi, g)
                    while back > found {
                        if let c = candidate(r, type: type, t: t, provider: s.provider, start: back, allowed: allowed,
                                             policy: policy, why: &why) {
                            top.offer(c)
                            break
                        }
                        back -= g
                    }
                }
            }
        }
        return top.items
    }

    /// The candidate with `provider` in the first role starting at `start`, completing the other
    /// roles and the room at the least cost; nil (with the reason counted) when none fits.
    private func candidate(_ r: Int, type: AppointmentType, t: Int, provider: Int, start: Int, allowed: Set<Int>?,
                           policy: some RankingPolicy, why: inout Explanation.Tally) -> Candidate? {
        let visit = type.visit(at: start)
        guard providerBusy[provider].isFree(visit) else { why.add(.sessionsFull); return nil }
        let priority = instance.requests[r].priority
        if index.blockingHold(of: provider, for: priority, decidedAt: holdDecisionTime, overlapping: visit) != nil {
            why.add(.held)
            return nil
        }
        if let availability = instance.requests[r].patientAvailability, !availability.contains(where: { $0.contains(visit) }) {
            why.add(.outsidePatientAvailability)
            return nil
        }
        if patientVisits[index.patient[r]].contains(where: { $0.overlaps(visit) }) {
            why.add(.patientBusy)
            return nil
        }
        guard let k0 = index.session(of: provider, containing: visit) else { why.add(.sessionsFull); return nil }
        let location = sessionLocation[provider][k0]
        var providers = [provider]
        for role in 1..<max(type.roles.count, 1) where type.roles.count > 1 {
            var best: (idle: Int, p: Int)?
            for p in qualified[t][role] where !providers.contains(p) && (allowed?.contains(p) ?? true) {
                guard let k = index.session(of: p, containing: visit),
                      !type.isInPerson || sessionLocation[p][k] == location,
                      providerBusy[p].isFree(visit),
                      index.blockingHold(of: p, for: priority, decidedAt: holdDecisionTime, overlapping: visit) == nil else { continue }
                let idle = idleChange(p, visit)
                if best == nil || idle < best!.idle { best = (idle, p) }
            }
            guard let best else { why.add(.noSecondProvider); return nil }
            providers.append(best.p)
        }
        var room: Int?
        var waste = 0
        if type.isInPerson {
            let interval = type.roomInterval(at: start)
            guard let pools = poolsFor[t][location] else { why.add(.equipmentExhausted); return nil }
            if let locs = instance.requests[r].locations, !locs.contains(instance.locations[location].id) { why.add(.noRoom); return nil }
            var anyFree = false
            for k in roomsFor[t][location] where index.roomIsOpen(k, for: interval) && roomBusy[k].isFree(interval) {
                let w = roomWaste(k, interval)
                if !anyFree || w < waste { waste = w; room = k }
                anyFree = true
                if w == 0 { break }
            }
            guard anyFree else { why.add(.noRoom); return nil }
            if !pools.allSatisfy({ equipmentAvailable($0.pool, $0.quantity, interval) }) {
                why.add(.equipmentExhausted)
                return nil
            }
        }
        let booking = Booking(providers: providers, room: room, start: start)
        var cost = marginalCost(r, booking, type: type)
        cost.roomWasteMinutes = waste
        cost.roomWaste = instance.objective.idleMinuteCost * Double(waste)
        return Candidate(booking: booking, cost: cost, score: policy.score(cost: cost, start: start))
    }

    /// Free room minutes left next to `interval` that no visit needing room `k` can use: a free
    /// run on either side shorter than the shortest room interval of any type that fits `k`.
    /// Among the free rooms of a candidate, the one with the least waste is chosen (best fit on
    /// rooms; a change of room alone costs nothing in the spec).
    ///
    /// - Complexity: O(need / granularity) checks on each side.
    func roomWaste(_ k: Int, _ interval: TimeSpan) -> Int {
        let need = roomShortestNeed[k]
        let g = instance.granularityMinutes
        func run(from: Int, step: Int) -> Int {
            var n = 0
            var m = from
            while n < need {
                let span = step < 0 ? TimeSpan(start: m - g, end: m) : TimeSpan(start: m, end: m + g)
                guard index.roomIsOpen(k, for: span), roomBusy[k].isFree(span) else { break }
                n += g
                m += step < 0 ? -g : g
            }
            return n
        }
        let left = run(from: interval.start, step: -1), right = run(from: interval.end, step: 1)
        return (left < need ? left : 0) + (right < need ? right : 0)
    }
}
