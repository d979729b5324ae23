import AppointmentModel

/// A provider's or a room's day on paper: each visit with its local times, the patient's opaque
/// id, the room, the equipment, the other providers of a multi-role visit, the prep instructions,
/// telehealth marked, and the provider's idle gaps. As JSON, CSV and a printable Markdown or
/// HTML page.
public struct Manifest: Sendable, Hashable {
    /// Whose day the manifest shows: a provider's or a room's.
    public enum Kind: String, Sendable, Hashable { case provider, room }

    /// One visit on the manifest, with its local times.
    public struct Entry: Sendable, Hashable {
        /// The visit.
        public var visit: Visit
        /// The visit's start on the wall clock of the manifest's location.
        public var start: LocalDateTime
        /// The visit's end on the wall clock of the manifest's location.
        public var end: LocalDateTime
        /// The other providers of a multi-role visit.
        public var otherProviders: [String]
    }

    /// Idle time of a provider between two consecutive visits of one session.
    public struct Gap: Sendable, Hashable {
        /// The gap's start on the wall clock of the manifest's location.
        public var start: LocalDateTime
        /// The gap's end on the wall clock of the manifest's location.
        public var end: LocalDateTime
        /// The gap's length in minutes.
        public var minutes: Int
    }

    /// Whether this is a provider's or a room's day.
    public var kind: Kind
    /// The provider's or room's id.
    public var subject: String
    /// The local calendar day shown.
    public var date: LocalDate
    /// The location whose wall clock the times are read on: the room's, or that of the provider's
    /// first session that day (else the instance's first location).
    public var location: String?
    /// The IANA zone name of `location`.
    public var timeZone: String
    /// Working (provider) or opening (room) intervals that day.
    public var hours: [(start: LocalDateTime, end: LocalDateTime)]
    /// The visits that day, by start.
    public var entries: [Entry]
    /// Idle time between two visits of one session (providers only).
    public var gaps: [Gap]

    /// Equal when kind, subject, date, entries and gaps are; hours, location and time zone are not compared.
    public static func == (a: Manifest, b: Manifest) -> Bool {
        a.kind == b.kind && a.subject == b.subject && a.date == b.date && a.entries == b.entries && a.gaps == b.gaps
    }

    /// Hashes the kind, subject and date only.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(subject)
        hasher.combine(date)
    }

    /// The manifests of every provider who works or sees someone on local `date` (at their
    /// location), or only of `only`.
    public static func providers(_ view: ScheduleView, date: LocalDate, only: String? = nil) -> [Manifest] {
        view.instance.providers.compactMap { provider -> Manifest? in
            guard only == nil || only == provider.id else { return nil }
            let rough = view.clock.day(date, at: view.instance.locations.first?.id)
            let location = view.location(ofProvider: provider.id, on: rough)
            let day = view.clock.day(date, at: location)
            let sessions = view.sessions(ofProvider: provider.id, within: day)
            let visits = view.visits(ofProvider: provider.id).filter { $0.span.overlaps(day) }
            guard !sessions.isEmpty || !visits.isEmpty || only != nil else { return nil }
            let l = { (m: Int) in view.clock.local(m, at: location) }
            return Manifest(kind: .provider, subject: provider.id, date: date, location: location, timeZone: view.clock.zoneName(location),
                            hours: sessions.map { (l($0.span.start), l($0.span.end)) },
                            entries: visits.map { Entry(visit: $0, start: l($0.span.start), end: l($0.span.end),
                                                        otherProviders: $0.providers.filter { $0 != provider.id }) },
                            gaps: view.idleGaps(ofProvider: provider.id, within: day).map { Gap(start: l($0.start), end: l($0.end), minutes: $0.duration) })
        }
    }

    /// The manifests of every room open or used on local `date`, or only of `only`.
    public static func rooms(_ view: ScheduleView, date: LocalDate, only: String? = nil) -> [Manifest] {
        view.instance.rooms.compactMap { room -> Manifest? in
            guard only == nil || only == room.id else { return nil }
            let day = view.clock.day(date, at: room.location)
            let open = room.open.filter { $0.overlaps(day) }.sorted()
            let visits = view.visits(inRoom: room.id).filter { $0.roomSpan.overlaps(day) }
            guard !open.isEmpty || !visits.isEmpty || only != nil else { return nil }
            let l = { (m: Int) in view.clock.local(m, at: room.location) }
            return Manifest(kind: .room, subject: room.id, date: date, location: room.location, timeZone: view.clock.zoneName(room.location),
                            hours: open.map { (l($0.start), l($0.end)) },
                            entries: visits.map { Entry(visit: $0, start: l($0.span.start), end: l($0.span.end), otherProviders: $0.providers) },
                            gaps: [])
        }
    }

    // MARK: Renderings

    /// One JSON object.
    public var json: JSONValue {
        var o = JSONObject()
        o.append(kind.rawValue, .string(subject))
        o.append("date", .string(date.description))
        o.append("location", location.map(JSONValue.string) ?? .null)
        o.append("timeZone", .string(timeZone))
        o.append("hours", .array(hours.map { .object(JSONObject(["start": .string($0.start.time), "end": .string($0.end.time)])) }))
        o.append("visits", .array(entries.map { e in
            var v = JSONObject()
            v.append("request", .string(e.visit.request))
            v.append("patient", .string(e.visit.patient))
            v.append("type", .string(e.visit.type))
            v.append("priority", .string(e.visit.priority.rawValue))
            v.append("start", .string(e.start.time))
            v.append("end", .string(e.end.time))
            v.append("startInstant", .string(Self.instant(e.start)))
            v.append("room", e.visit.room.map(JSONValue.string) ?? .null)
            v.append("providers", .array(e.visit.providers.map(JSONValue.string)))
            v.append("otherProviders", .array(e.otherProviders.map(JSONValue.string)))
            v.append("equipment", .array(e.visit.equipment.map { .object(JSONObject(["kind": .string($0.kind), "quantity": .number(Double($0.quantity))])) }))
            v.append("prep", e.visit.prep.map(JSONValue.string) ?? .null)
            v.append("telehealth", .bool(e.visit.telehealth))
            v.append("status", .string(e.visit.status?.rawValue ?? "new"))
            return .object(v)
        }))
        if kind == .provider {
            o.append("idleGaps", .array(gaps.map { .object(JSONObject(["start": .string($0.start.time), "end": .string($0.end.time),
                                                                        "minutes": .number(Double($0.minutes))])) }))
        }
        return .object(o)
    }

    static func instant(_ t: LocalDateTime) -> String {
        let sign = t.offsetSeconds < 0 ? "-" : "+"
        let m = abs(t.offsetSeconds) / 60
        return "\(t.date)T\(t.time):00" + (t.offsetSeconds == 0 ? "Z" : "\(sign)\(String(format: "%02d:%02d", m / 60, m % 60))")
    }

    /// The manifests as one CSV table: a row per visit (RFC 4180 quoting).
    public static func csv(_ manifests: [Manifest]) -> String {
        var rows = [["kind", "subject", "date", "start", "end", "request", "patient", "type", "priority", "room", "providers",
                     "other_providers", "equipment", "telehealth", "status", "prep"]]
        for m in manifests {
            for e in m.entries {
                rows.append([m.kind.rawValue, m.subject, m.date.description, e.start.time, e.end.time, e.visit.request, e.visit.patient,
                             e.visit.type, e.visit.priority.rawValue, e.visit.room ?? "", e.visit.providers.joined(separator: " "),
                             e.otherProviders.joined(separator: " "),
                             e.visit.equipment.map { "\($0.kind)×\($0.quantity)" }.joined(separator: " "),
                             e.visit.telehealth ? "yes" : "no", e.visit.status?.rawValue ?? "new", e.visit.prep ?? ""])
            }
        }
        return CSV.write(rows)
    }

    /// A printable page in Markdown.
    public var markdown: String {
        var out = "## \(kind == .provider ? "Provider" : "Room") \(subject) — \(date) (\(timeZone))\n\n"
        out += "\(kind == .provider ? "Working" : "Open"): " + (hours.isEmpty ? "—" : hours.map { "\($0.start.time)–\($0.end.time)" }.joined(separator: ", ")) + "\n\n"
        out += "| time | patient | visit | room | with | equipment | prep |\n| --- | --- | --- | --- | --- | --- | --- |\n"
        for e in entries {
            let room = e.visit.telehealth ? "telehealth" : (e.visit.room ?? "")
            out += "| \(e.start.time)–\(e.end.time) | \(e.visit.patient) | \(e.visit.type) (\(e.visit.request)) | \(room) | "
                + "\(e.otherProviders.joined(separator: ", ")) | \(e.visit.equipment.map { "\($0.kind) × \($0.quantity)" }.joined(separator: ", ")) | "
                + "\(Self.cell(e.visit.prep ?? "")) |\n"
        }
        if entries.isEmpty { out += "| — | | | | | | |\n" }
        if !gaps.isEmpty {
            out += "\nIdle: " + gaps.map { "\($0.start.time)–\($0.end.time) (\($0.minutes) min)" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    private static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    /// A printable HTML page of several manifests (one section each, a page break between).
    public static func html(_ manifests: [Manifest], title: String) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var out = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
        <style>body{font-family:sans-serif;font-size:11pt}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:3px 6px;text-align:left}section{page-break-after:always}.tele{color:#06c}</style>
        </head><body>

        """
        for m in manifests {
            out += "<section><h2>\(m.kind == .provider ? "Provider" : "Room") \(esc(m.subject)) — \(m.date) (\(esc(m.timeZone)))</h2>\n"
            out += "<p>\(m.kind == .provider ? "Working" : "Open"): \(m.hours.map { "\($0.start.time)–\($0.end.time)" }.joined(separator: ", "))</p>\n"
            out += "<table><tr><th>time</th><th>patient</th><th>visit</th><th>room</th><th>with</th><th>equipment</th><th>prep</th></tr>\n"
            for e in m.entries {
                let room = e.visit.telehealth ? "<span class=\"tele\">telehealth</span>" : esc(e.visit.room ?? "")
                out += "<tr><td>\(e.start.time)–\(e.end.time)</td><td>\(esc(e.visit.patient))</td><td>\(esc(e.visit.type)) (\(esc(e.visit.request)))</td>"
                    + "<td>\(room)</td><td>\(esc(e.otherProviders.joined(separator: ", ")))</td>"
                    + "<td>\(esc(e.visit.equipment.map { "\($0.kind) × \($0.quantity)" }.joined(separator: ", ")))</td><td>\(esc(e.visit.prep ?? ""))</td></tr>\n"
            }
            out += "</table>\n"
            if !m.gaps.isEmpty { out += "<p>Idle: \(m.gaps.map { "\($0.start.time)–\($0.end.time) (\($0.minutes) min)" }.joined(separator: ", "))</p>\n" }
            out += "</section>\n"
        }
        return out + "</body></html>\n"
    }
}

/// RFC 4180 CSV: fields with a comma, a quote or a line break are quoted, quotes doubled; lines
/// end with CRLF.
public enum CSV {
    /// The rows as CSV text, every line ended by CRLF (the last included).
    public static func write(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF).
    public static func read(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex, text[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else if c != "\r" {
                field.append(c)
            }
            i = text.index(after: i)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
