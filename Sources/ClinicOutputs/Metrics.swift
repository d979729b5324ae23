import AppointmentModel

/// The numbers leadership asks for, computed from a schedule (over the horizon, or one local
/// date): fill rate, utilisation per provider and room, idle minutes per session, lead time by
/// priority, unscheduled by priority and reason, held time used and released, and, with the
/// outcomes of past visits, no-show and late-cancel rates per type and provider.
///
/// Definitions (`Docs/outputs.md`): fill rate = booked provider-minutes / session minutes;
/// a room's utilisation = minutes of room intervals / open minutes; lead time = start − arrival
/// in days; percentiles by nearest rank (the ⌈q·n⌉-th smallest).
public struct Metrics: Sendable {
    /// What happened at a past visit.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// The patient came (`attended` in the CSV).
        case attended
        /// The patient did not come (`no-show` in the CSV).
        case noShow = "no-show"
        /// The patient cancelled late (`late-cancel` in the CSV).
        case lateCancel = "late-cancel"
    }

    /// The schedule measured.
    public let view: ScheduleView
    /// The timeline minutes measured: the horizon, or a local date.
    public let span: TimeSpan

    /// Measures `view` over the horizon, or over local `date` on the first location's clock.
    public init(_ view: ScheduleView, date: LocalDate? = nil) {
        self.view = view
        span = date.map { view.clock.day($0, at: view.instance.locations.first?.id) } ?? view.instance.horizon
    }

    static func overlap(_ a: TimeSpan, _ b: TimeSpan) -> Int { max(0, min(a.end, b.end) - max(a.start, b.start)) }

    /// Nearest-rank percentile of `values` (q in 0…1); nil when empty.
    public static func percentile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }

    /// Reads the outcomes CSV: a header `request,outcome`, then one row per past visit.
    public static func outcomes(csv: String) throws(OutcomeError) -> [String: Outcome] {
        var out: [String: Outcome] = [:]
        for (k, row) in CSV.read(csv).enumerated() where k > 0 && !(row.count == 1 && row[0].isEmpty) {
            guard row.count >= 2 else { throw OutcomeError(line: k + 1, message: "expected request,outcome") }
            guard let o = Outcome(rawValue: row[1].trimmingCharacters(in: .whitespaces)) else {
                throw OutcomeError(line: k + 1, message: "outcome \"\(row[1])\" is not one of attended, no-show, late-cancel")
            }
            out[row[0]] = o
        }
        return out
    }

    /// A line of the outcomes CSV that cannot be read.
    public struct OutcomeError: Error, Sendable, CustomStringConvertible {
        /// The line number in the file, counting from 1 (the header is line 1).
        public var line: Int
        /// What is wrong with the line.
        public var message: String
        /// `outcomes line <line>: <message>`.
        public var description: String { "outcomes line \(line): \(message)" }
    }

    /// Every figure as one JSON object.
    public func json(outcomes: [String: Outcome] = [:]) -> JSONValue {
        let instance = view.instance
        var top = JSONObject()
        top.append("instance", .string(instance.name))
        top.append("from", .string(view.clock.rfc3339(span.start, at: nil)))
        top.append("to", .string(view.clock.rfc3339(span.end, at: nil)))
        let visits = view.visits.filter { $0.span.overlaps(span) }
        // Providers: session and booked minutes, idle per session.
        var sessionTotal = 0, bookedTotal = 0, idleTotal = 0
        var providers: [JSONValue] = [], sessions: [JSONValue] = []
        for p in instance.providers {
            let mine = visits.filter { $0.providers.contains(p.id) }
            var sessionMinutes = 0, booked = 0, idle = 0
            for s in view.sessions(ofProvider: p.id, within: span) {
                let inside = mine.filter { s.span.contains($0.span) }
                sessionMinutes += Self.overlap(s.span, span)
                let minutes = inside.reduce(0) { $0 + Self.overlap($1.span, span) }
                booked += minutes
                var sessionIdle = 0
                if inside.count >= 2 {
                    let first = inside.map(\.span.start).min()!, last = inside.map(\.span.end).max()!
                    sessionIdle = (last - first) - inside.reduce(0) { $0 + $1.span.duration }
                }
                idle += sessionIdle
                sessions.append(.object(JSONObject([
                    "provider": .string(p.id), "start": .string(view.clock.rfc3339(s.span.start, at: s.location)),
                    "end": .string(view.clock.rfc3339(s.span.end, at: s.location)), "visits": .number(Double(inside.count)),
                    "bookedMinutes": .number(Double(minutes)), "idleMinutes": .number(Double(sessionIdle)),
                ])))
            }
            sessionTotal += sessionMinutes
            bookedTotal += booked
            idleTotal += idle
            providers.append(.object(JSONObject([
                "provider": .string(p.id), "sessionMinutes": .number(Double(sessionMinutes)), "bookedMinutes": .number(Double(booked)),
                "utilisation": sessionMinutes > 0 ? .number(Double(booked) / Double(sessionMinutes)) : .null,
                "idleMinutes": .number(Double(idle)), "visits": .number(Double(mine.count)),
            ])))
        }
        top.append("fillRate", sessionTotal > 0 ? .number(Double(bookedTotal) / Double(sessionTotal)) : .null)
        top.append("sessionMinutes", .number(Double(sessionTotal)))
        top.append("bookedMinutes", .number(Double(bookedTotal)))
        top.append("idleMinutes", .number(Double(idleTotal)))
        top.append("providers", .array(providers))
        top.append("rooms", .array(instance.rooms.map { room in
            let open = room.open.reduce(0) { $0 + Self.overlap($1, span) }
            let used = visits.filter { $0.room == room.id }.reduce(0) { $0 + Self.overlap($1.roomSpan, span) }
            return .object(JSONObject([
                "room": .string(room.id), "openMinutes": .number(Double(open)), "usedMinutes": .number(Double(used)),
                "utilisation": open > 0 ? .number(Double(used) / Double(open)) : .null,
            ]))
        }))
        top.append("sessions", .array(sessions))
        // Lead time by priority.
        var lead = JSONObject()
        for priority in Priority.allCases {
            let days = visits.filter { $0.priority == priority }.compactMap { v -> Double? in
                view.index.request[v.request].map { Double(v.span.start - instance.requests[$0].arrival) / 1440 }
            }
            lead.append(priority.rawValue, .object(JSONObject([
                "visits": .number(Double(days.count)),
                "medianDays": Self.percentile(days, 0.5).map(JSONValue.number) ?? .null,
                "p90Days": Self.percentile(days, 0.9).map(JSONValue.number) ?? .null,
            ])))
        }
        top.append("leadTime", .object(lead))
        // Unscheduled by priority and reason.
        let booked = Set(view.visits.map(\.request))
        let reasons = Dictionary(view.solution.unscheduled.map { ($0.request, $0.reason) }, uniquingKeysWith: { a, _ in a })
        var byPriority = JSONObject(), byReason: [String: Int] = [:]
        for priority in Priority.allCases {
            let waiting = instance.requests.filter { $0.priority == priority && !booked.contains($0.id) }
            byPriority.append(priority.rawValue, .number(Double(waiting.count)))
            for r in waiting { byReason[reasons[r.id] ?? "not booked", default: 0] += 1 }
        }
        top.append("unscheduled", .object(JSONObject([
            "byPriority": .object(byPriority),
            "byReason": .object({ var o = JSONObject(); for (k, v) in byReason.sorted(by: { $0.key < $1.key }) { o.append(k, .number(Double(v))) }; return o }()),
        ])))
        top.append("holds", holds(visits))
        if !outcomes.isEmpty { top.append("outcomes", self.outcomes(outcomes)) }
        return .object(top)
    }

    /// Held minutes: used by the priorities they are kept for, used by others once released, left
    /// empty; and how many holds are released at the decision time.
    private func holds(_ visits: [Visit]) -> JSONValue {
        let instance = view.instance
        var held = 0, usedAsHeld = 0, usedAfterRelease = 0, released = 0
        var list: [JSONValue] = []
        for h in instance.holds where h.span.overlaps(span) {
            let minutes = Self.overlap(h.span, span)
            let mine = visits.filter { $0.providers.contains(h.provider) }
            let admitted = mine.filter { h.priorities.contains($0.priority) }.reduce(0) { $0 + Self.overlap($1.span, h.span) }
            let others = mine.filter { !h.priorities.contains($0.priority) }.reduce(0) { $0 + Self.overlap($1.span, h.span) }
            let isReleased = instance.decisionTime >= h.releaseTime
            held += minutes
            usedAsHeld += admitted
            usedAfterRelease += others
            if isReleased { released += 1 }
            list.append(.object(JSONObject([
                "hold": .string(h.id), "provider": .string(h.provider), "minutes": .number(Double(minutes)),
                "usedByHeldPriorities": .number(Double(admitted)), "usedAfterRelease": .number(Double(others)),
                "released": .bool(isReleased),
            ])))
        }
        return .object(JSONObject([
            "heldMinutes": .number(Double(held)), "usedByHeldPriorities": .number(Double(usedAsHeld)),
            "usedAfterRelease": .number(Double(usedAfterRelease)), "emptyMinutes": .number(Double(max(0, held - usedAsHeld - usedAfterRelease))),
            "released": .number(Double(released)), "holds": .array(list),
        ]))
    }

    /// No-show and late-cancel rates per type and per provider, over the visits with an outcome.
    private func outcomes(_ outcomes: [String: Outcome]) -> JSONValue {
        func rates(_ key: (Visit) -> [String]) -> JSONValue {
            var counts: [String: [Outcome: Int]] = [:]
            for v in view.visits {
                guard let o = outcomes[v.request] else { continue }
                for k in key(v) { counts[k, default: [:]][o, default: 0] += 1 }
            }
            var out = JSONObject()
            for (k, c) in counts.sorted(by: { $0.key < $1.key }) {
                let n = c.values.reduce(0, +)
                out.append(k, .object(JSONObject([
                    "visits": .number(Double(n)),
                    "noShows": .number(Double(c[.noShow] ?? 0)), "noShowRate": .number(Double(c[.noShow] ?? 0) / Double(n)),
                    "lateCancels": .number(Double(c[.lateCancel] ?? 0)), "lateCancelRate": .number(Double(c[.lateCancel] ?? 0) / Double(n)),
                ])))
            }
            return .object(out)
        }
        return .object(JSONObject(["byType": rates { [$0.type] }, "byProvider": rates { $0.providers }]))
    }
}
