import AppointmentModel

/// Hooks for the batch optimiser, which rebuilds neighbourhoods of the schedule wholesale.
/// Not for front-desk use: they skip the group and series checks that `book` makes.
extension BookingEngine {
    /// Removes request `r`'s booking, whatever it is.
    package mutating func cancelForOptimizer(_ r: Int) throws(BookingError) {
        guard booked[r] != nil else { throw .notBooked(instance.requests[r].id) }
        uncommit(r)
    }

    /// Books `placement` for request `r` after checking every per-visit hard rule.
    package mutating func placeForOptimizer(_ r: Int, _ placement: Placement) throws(BookingError) {
        let b = try resolve(placement)
        if let failure = blockingFailure(r, b) { throw failure.error }
        commit(r, b)
    }

    /// Up to `limit` feasible placements of request `r` alone against the current state,
    /// best-fit first, spread over the window.
    package func candidatePlacements(for r: Int, limit: Int, ignoring: Set<Int> = []) -> [Placement] {
        var why = Explanation.Tally()
        return searchSingle(r, limit: limit, policy: BestFit(), ignoring: ignoring, why: &why).map { placement(r, $0.booking) }
    }

    /// Lead, preference and move cost of `placement` for request `r` (idle depends on the others).
    package func placementCost(_ r: Int, _ placement: Placement) -> MarginalCost {
        guard let b = try? resolve(placement), let t = index.requestType[r] else { return MarginalCost() }
        var c = marginalCost(r, b, type: instance.appointmentTypes[t])
        c.idle = 0
        c.idleMinutes = 0
        return c
    }

    /// Whether room `k` is free (and its interval inside the horizon) during `span`.
    package func roomIsFree(_ k: Int, during span: TimeSpan) -> Bool {
        roomBusy[k].isFree(span)
    }

    /// Units of `pool` in use at minute `m`.
    package func poolUsage(_ pool: Int, at m: Int) -> Int {
        tableSpan.contains(minute: m) ? Int(poolUse[pool][m - tableSpan.start]) : 0
    }

    /// Minutes inside `spans` where the usage of `pool` changes.
    package func poolChangePoints(_ pool: Int, within spans: [TimeSpan]) -> [Int] {
        var out = Set<Int>()
        for span in spans {
            let o = tableSpan.start
            let s = max(span.start, o + 1), e = min(span.end, tableSpan.end)
            guard s < e else { continue }
            for m in s..<e where poolUse[pool][m - o] != poolUse[pool][m - o - 1] { out.insert(m) }
        }
        return out.sorted()
    }

    /// Whether a series successor of request `r` is booked (then `r` must stay booked).
    package func successorsBooked(_ r: Int) -> Bool { successors[r].contains { booked[$0] != nil } }

    /// The requests whose `after` names `r`.
    package func successorsOf(_ r: Int) -> [Int] { successors[r] }

    /// The visits of provider `p` in its session `k` (`index.sessions[p][k]`).
    package func sessionVisitList(_ p: Int, _ k: Int) -> [TimeSpan] { sessionVisits[p][k] }
}

extension BookingEngine {
    /// Every feasible placement of request `r` alone against the current state: each grid start
    /// of each first-role provider session in the window, each free room of a fitting kind, the
    /// other roles filled by the provider adding the least idle time (or by every combination).
    /// Stops at `maxCount`.
    ///
    /// - Parameter within: when given, only visits inside it.
    /// - Parameter ignoring: series partners whose link to `r` is not applied.
    /// - Parameter everyProviderCombination: every qualified, free provider for each other role,
    ///   instead of the one adding the least idle time.
    /// - Complexity: O(sessions × starts × rooms × teams) feasibility checks.
    package func allPlacements(for r: Int, maxCount: Int, within: TimeSpan? = nil, ignoring: Set<Int> = [],
                              everyProviderCombination: Bool = false) -> [Placement] {
        let request = instance.requests[r]
        guard let t = index.requestType[r] else { return [] }
        let type = instance.appointmentTypes[t]
        guard var w = window(r, type: type, ignoring: ignoring) else { return [] }
        if let within {
            w = (max(w.lo, within.start), min(w.hi, within.end - type.durationMinutes))
            guard w.lo <= w.hi else { return [] }
        }
        let g = instance.granularityMinutes
        let allowed: Set<Int>? = request.providers.map { Set($0.compactMap { index.provider[$0] }) }
        var out: [Placement] = []
        for p in qualified[t][0] where allowed?.contains(p) ?? true {
            for (k, session) in index.sessions[p].enumerated() where session.span.end > w.lo && session.span.start <= w.hi {
                var start = Self.alignUp(max(w.lo, session.span.start), g)
                let last = min(w.hi, session.span.end - type.durationMinutes)
                while start <= last {
                    let visit = type.visit(at: start)
                    // The providers of the other roles: every combination, or the one adding the least idle time.
                    var teams: [[Int]] = providerBusy[p].isFree(visit) ? [[p]] : []
                    for role in type.roles.indices.dropFirst() {
                        var next: [[Int]] = []
                        for team in teams {
                            var best: (Int, Int)?
                            for q in qualified[t][role] where !team.contains(q) && (allowed?.contains(q) ?? true) {
                                guard let kq = index.session(of: q, containing: visit),
                                      !type.isInPerson || sessionLocation[q][kq] == sessionLocation[p][k],
                                      providerBusy[q].isFree(visit) else { continue }
                                if everyProviderCombination {
                                    next.append(team + [q])
                                } else {
                                    let idle = idleChange(q, visit)
                                    if best == nil || idle < best!.0 { best = (idle, q) }
                                }
                            }
                            if let best { next.append(team + [best.1]) }
                        }
                        teams = next
                    }
                    for providers in teams {
                        let rooms: [Int?] = type.isInPerson ? roomsFor[t][max(sessionLocation[p][k], 0)].map { Optional($0) } : [nil]
                        for room in rooms {
                            let b = Booking(providers: providers, room: room, start: start)
                            if blockingFailure(r, b) == nil {
                                out.append(placement(r, b))
                                if out.count >= maxCount { return out }
                            }
                        }
                    }
                    start += g
                }
            }
        }
        return out
    }
}
