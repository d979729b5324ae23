/// Computes the spec's cost of a set of placed requests.
///
/// ```
/// cost = Σ unscheduled        unscheduledPenalty[priority]
///      + idleMinuteCost × Σ sessions idle(session)
///      + Σ assigned           leadCostPerDay[priority] × (s − earliest) / 1440
///      + preferenceMissCost × #assigned with preferredProviders, none assigned
///      + Σ moved bookings     moveCost[current.status]
/// ```
/// `idle(session)` is (last visit end − first visit start) − visit minutes, over one provider's
/// visits in one session (0 with fewer than two). A booking is *moved* when its start or its
/// provider *set* differs from `current`.
public enum CostEvaluator {
    /// The cost of `solution` (first occurrence of each request counts; requests absent from the
    /// solution count as unscheduled). Works on invalid solutions too, as a best effort.
    ///
    /// - Complexity: O(n log n) in the number of assignments.
    public static func cost(of solution: Solution, index: InstanceIndex) -> CostBreakdown {
        var placed = [Assignment?](repeating: nil, count: index.instance.requests.count)
        for a in solution.assignments {
            if let r = index.request[a.request], placed[r] == nil { placed[r] = a }
        }
        return cost(placed: placed, index: index)
    }

    /// The cost of the placements `placed` (by request index; nil when unscheduled).
    public static func cost(placed: [Assignment?], index: InstanceIndex) -> CostBreakdown {
        let instance = index.instance
        let ob = instance.objective
        var out = CostBreakdown()
        var lead = 0.0
        let requests = instance.requests
        for r in requests.indices where index.isFirstRequest[r] {
            let priority = requests[r].priority
            guard let a = placed[r] else {
                out.unscheduledByPriority[priority] += 1
                continue
            }
            lead += ob.leadCostPerDay[priority] * Double((a.start - requests[r].earliest) * 60) / 86_400
            if let preferred = requests[r].preferredProviders, !preferred.isEmpty,
               !preferred.contains(where: { a.providers.contains($0) }) {
                out.preferenceMisses += 1
            }
            if let c = requests[r].current, a.start != c.start || !sameSet(a.providers, c.providers) {
                out.moved[c.status] += 1
            }
        }
        out.idleMinutes = idleMinutes(placed: placed, index: index)
        let u = out.unscheduledByPriority
        out.unscheduled = ob.unscheduledPenalty.urgent * Double(u.urgent) + ob.unscheduledPenalty.soon * Double(u.soon)
            + ob.unscheduledPenalty.routine * Double(u.routine)
        out.idle = ob.idleMinuteCost * Double(out.idleMinutes)
        out.lead = lead
        out.preference = ob.preferenceMissCost * Double(out.preferenceMisses)
        out.moves = ob.moveCost.confirmed * Double(out.moved.confirmed) + ob.moveCost.tentative * Double(out.moved.tentative)
        return out
    }

    /// Whether two short lists hold the same set of ids.
    static func sameSet(_ a: [String], _ b: [String]) -> Bool {
        a.allSatisfy(b.contains) && b.allSatisfy(a.contains)
    }

    /// Σ over provider sessions of idle minutes.
    static func idleMinutes(placed: [Assignment?], index: InstanceIndex) -> Int {
        struct Extent { var first: Int; var last: Int; var busy: Int; var count: Int }
        var extents: [SessionKey: Extent] = [:]
        let instance = index.instance
        for r in placed.indices {
            guard let a = placed[r], let t = index.requestType[r] else { continue }
            let visit = instance.appointmentTypes[t].visit(at: a.start)
            for (j, pid) in a.providers.enumerated() {
                // A provider named twice (a rule-3 violation) counts once.
                guard let p = index.provider[pid], !a.providers[..<j].contains(pid) else { continue }
                guard let k = index.session(of: p, containing: visit) else { continue }
                let key = SessionKey(provider: p, session: k)
                if var e = extents[key] {
                    e.first = min(e.first, visit.start)
                    e.last = max(e.last, visit.end)
                    e.busy += visit.duration
                    e.count += 1
                    extents[key] = e
                } else {
                    extents[key] = Extent(first: visit.start, last: visit.end, busy: visit.duration, count: 1)
                }
            }
        }
        return extents.values.reduce(0) { $0 + ($1.count < 2 ? 0 : ($1.last - $1.first) - $1.busy) }
    }
}

/// One provider session: the unit of idle time.
public struct SessionKey: Hashable, Sendable {
    /// The provider's index in the instance.
    public var provider: Int
    /// The session's index in the provider's sorted sessions (`Provider.sessions`).
    public var session: Int

    /// Creates a session key from its parts.
    public init(provider: Int, session: Int) {
        self.provider = provider
        self.session = session
    }
}
