import AppointmentModel

/// Held capacity for urgent (and soon) demand, sized from the instance's own demand mix: the
/// priorities, windows and types of its requests.
///
/// Each urgent request's visit minutes are spread evenly over the provider-days that could take
/// it (the days of its window on which a qualified provider works); a soon request counts
/// ``Rule/soonWeight`` of its minutes. A provider-day whose expected minutes reach one visit is
/// given holds at the end of its working time, as long as ``Rule/share`` of that expectation
/// (never more than ``Rule/maximumShare`` of the day's session minutes), for the priorities the
/// rule names, in the time its existing bookings leave free (the latest free stretches first, one
/// hold each); a hold is released ``Rule/releaseMinutesBefore`` before it starts, when routine
/// requests may take what is left. The end of the day is held because an urgent request that
/// arrives in the morning needs a slot later that day.
///
/// The rule is chosen on the public instances only (`Docs/held-capacity.md`).
public enum HoldPlanner {
    public struct Rule: Sendable, Hashable {
        /// Minutes held per expected minute of demand.
        public var share: Double
        /// How much a soon request counts, against an urgent one's 1.
        public var soonWeight: Double
        /// The most of a provider-day's session minutes held.
        public var maximumShare: Double
        /// Minutes before its start at which a hold admits every priority.
        public var releaseMinutesBefore: Int

        /// Creates a rule from its parts.
        public init(share: Double = 1.25, soonWeight: Double = 0, maximumShare: Double = 0.5, releaseMinutesBefore: Int = 120) {
            self.share = share
            self.soonWeight = soonWeight
            self.maximumShare = maximumShare
            self.releaseMinutesBefore = releaseMinutesBefore
        }

        /// The rule chosen on the public instances (`Docs/held-capacity.md`): 1.25 minutes held
        /// per expected urgent minute, at most half a provider-day, released 2 hours before; soon
        /// requests not counted.
        public static let chosen = Rule()
    }

    /// The holds for `instance` under `rule`, with ids `PLAN-1`, `PLAN-2`, … (ids already in use
    /// are skipped).
    ///
    /// - Complexity: O(requests × qualified providers × window days + sessions).
    public static func plan(_ instance: Instance, rule: Rule = .chosen) -> [Hold] {
        let index = InstanceIndex(instance)
        let h = instance.horizon
        func day(_ m: Int) -> Int { (m - h.start) / 1440 }
        // Per provider and day: the sessions' minutes and the last session's end.
        var worked: [[Int: (minutes: Int, end: Int)]] = Array(repeating: [:], count: instance.providers.count)
        var sessionsByDay: [[Int: [TimeSpan]]] = Array(repeating: [:], count: instance.providers.count)
        for (p, sessions) in index.sessions.enumerated() {
            for s in sessions {
                let d = day(s.span.start)
                let old = worked[p][d] ?? (0, Int.min)
                worked[p][d] = (old.minutes + s.span.duration, max(old.end, s.span.end))
                sessionsByDay[p][d, default: []].append(s.span)
            }
        }
        // The providers' time that existing bookings take: never held.
        var taken: [[TimeSpan]] = Array(repeating: [], count: instance.providers.count)
        for request in instance.requests {
            guard let current = request.current, let t = index.type[request.type] else { continue }
            let visit = instance.appointmentTypes[t].visit(at: current.start)
            for id in current.providers { if let p = index.provider[id] { taken[p].append(visit) } }
        }
        let busy = taken.map { TimeSpan.union($0) }
        var expected: [[Int: Double]] = Array(repeating: [:], count: instance.providers.count)
        for request in instance.requests {
            let weight: Double = request.priority == .urgent ? 1 : request.priority == .soon ? rule.soonWeight : 0
            guard weight > 0, let t = index.type[request.type] else { continue }
            let type = instance.appointmentTypes[t]
            let minutes = Double(type.durationMinutes) * weight
            for role in type.roles {
                var takers: [(Int, Int)] = []
                for p in instance.providers.indices where index.provider(p, qualifiesFor: role) {
                    for (d, w) in worked[p] where w.end > request.earliest && d >= day(max(request.earliest, h.start))
                        && d <= day(min(request.latest, h.end - 1)) {
                        takers.append((p, d))
                    }
                }
                guard !takers.isEmpty else { continue }
                let each = minutes / Double(takers.count)
                for (p, d) in takers { expected[p][d, default: 0] += each }
            }
        }
        var holds: [Hold] = []
        var used = Set(instance.holds.map(\.id))
        var next = 1
        let g = max(instance.granularityMinutes, 1)
        let priorities: Set<Priority> = rule.soonWeight > 0 ? [.urgent, .soon] : [.urgent]
        for p in instance.providers.indices {
            for (d, load) in expected[p].sorted(by: { $0.key < $1.key }) {
                guard let w = worked[p][d] else { continue }
                var length = Int((load * rule.share).rounded(.up))
                length = min(length, Int(Double(w.minutes) * rule.maximumShare))
                length = length / g * g
                guard length >= g, length > 0 else { continue }
                // The free stretches of the day, latest first, each held from its end backwards.
                var free: [TimeSpan] = []
                for session in sessionsByDay[p][d] ?? [] {
                    var cursor = session.start
                    for b in busy[p] where b.end > session.start && b.start < session.end {
                        if b.start > cursor { free.append(TimeSpan(start: cursor, end: b.start)) }
                        cursor = max(cursor, b.end)
                    }
                    if cursor < session.end { free.append(TimeSpan(start: cursor, end: session.end)) }
                }
                var left = length
                for stretch in free.sorted(by: { $0.end > $1.end }) where left >= g {
                    // Whole grid steps, ending at the stretch's end.
                    let take = min(left, stretch.duration) / g * g
                    guard take >= g else { continue }
                    while used.contains("PLAN-\(next)") { next += 1 }
                    let id = "PLAN-\(next)"
                    used.insert(id)
                    holds.append(Hold(id: id, provider: instance.providers[p].id, span: TimeSpan(start: stretch.end - take, end: stretch.end),
                                      priorities: priorities, releaseMinutesBefore: rule.releaseMinutesBefore))
                    left -= take
                }
            }
        }
        return holds
    }

    /// `instance` with the planned holds added, under format 2's rules (holds bind only there);
    /// a schedule made on it is valid for `instance` too, since holds only take time away.
    public static func withPlannedHolds(_ instance: Instance, rule: Rule = .chosen) -> Instance {
        var held = instance
        held.holds += plan(instance, rule: rule)
        held.formatVersion = max(held.formatVersion, 2)
        return held
    }
}
