import Foundation

/// Reading and writing the `clinic-schedule/1` exchange format
/// (`shared/spec/clinic-schedule-format.md`).
///
/// Readers report every structural problem at once in a ``FormatError``; the semantic checks of a
/// well-formed instance (dangling references, overlapping shifts, infeasible existing bookings)
/// are ``InstanceChecker``'s job.
public enum ExchangeFormat {
    public static let instanceFormat = "clinic-schedule/1"
    public static let solutionFormat = "clinic-schedule-solution/1"

    /// Reads an instance from a file.
    public static func readInstance(contentsOf url: URL) throws(FormatError) -> Instance {
        try readInstance(try bytes(of: url, document: "instance"))
    }

    static func bytes(of url: URL, document: String) throws(FormatError) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw FormatError(document: document, issues: [
                InstanceIssue(.error, path: url.path, message: "cannot read the file: \(error.localizedDescription)"),
            ])
        }
    }

    static func parseJSON(_ bytes: [UInt8], document: String) throws(FormatError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw FormatError(document: document, issues: [
                InstanceIssue(.error, path: document, message: "not valid JSON: \(error)"),
            ])
        }
        guard case .object(let top) = value else {
            throw FormatError(document: document, issues: [
                InstanceIssue(.error, path: document, message: "expected a JSON object at the top level, found \(value.kindName)"),
            ])
        }
        return top
    }

    /// Reads an instance from UTF-8 JSON bytes.
    ///
    /// - Complexity: O(n) in the document size.
    public static func readInstance(_ bytes: [UInt8]) throws(FormatError) -> Instance {
        let top = try parseJSON(bytes, document: "instance")
        var r = FieldReader()
        let format = r.string(top, "format", "instance", id: nil)
        if let format, format != instanceFormat {
            throw FormatError(document: "instance", issues: [
                InstanceIssue(.error, path: "instance.format", message: "is \"\(format)\", expected \"\(instanceFormat)\""),
            ])
        }
        let name = r.string(top, "name", "instance", id: nil) ?? "?"
        var horizon = TimeSpan(start: 0, end: 1)
        if let h = r.object(top, "horizon", "instance", id: nil),
           let start = r.unixSeconds(h, "start", "horizon", id: nil) {
            r.timeline = Timeline(originUnixSeconds: start)
            if let end = r.minute(h, "end", "horizon", id: nil) { horizon = TimeSpan(start: 0, end: end) }
        }
        var granularity = r.int(top, "granularityMinutes", "instance", id: nil) ?? 5
        if granularity <= 0 {
            r.problem("instance.granularityMinutes", "must be a positive number of minutes, found \(granularity)")
            granularity = 5
        }

        func elements(_ key: String, required: Bool = true) -> [(path: String, object: JSONObject, id: String)] {
            var out: [(String, JSONObject, String)] = []
            for (i, item) in (r.list(top, key, "instance", id: nil, required: required) ?? []).enumerated() {
                let path = "\(key)[\(i)]"
                guard let o = r.object(item, path) else { continue }
                guard let id = r.string(o, "id", path, id: nil) else { continue }
                out.append(("\(path) (\(id))", o, id))
            }
            return out
        }

        var locations: [Location] = []
        for (path, o, id) in elements("locations") {
            if let tz = r.string(o, "timeZone", path, id: id) { locations.append(Location(id: id, timeZone: tz)) }
        }

        var rooms: [Room] = []
        for (path, o, id) in elements("rooms") {
            let location = r.string(o, "location", path, id: id)
            let kinds = r.strings(o, "kinds", path, id: id)
            let open = r.spans(o, "open", path, id: id, required: false) ?? []
            if let location, let kinds { rooms.append(Room(id: id, location: location, kinds: kinds, open: open)) }
        }

        var equipment: [EquipmentPool] = []
        for (path, o, id) in elements("equipment", required: false) {
            let kind = r.string(o, "kind", path, id: id)
            let location = r.string(o, "location", path, id: id)
            let quantity = r.int(o, "quantity", path, id: id)
            if let kind, let location, let quantity {
                equipment.append(EquipmentPool(id: id, kind: kind, location: location, quantity: quantity))
            }
        }

        var providers: [Provider] = []
        for (path, o, id) in elements("providers") {
            let skills = r.strings(o, "skills", path, id: id, required: false) ?? []
            var shifts: [Shift] = []
            for (j, item) in (r.list(o, "shifts", path, id: id, required: false) ?? []).enumerated() {
                let p = "\(path).shifts[\(j)]"
                guard let s = r.object(item, p, id: id) else { continue }
                let location = r.string(s, "location", p, id: id)
                if let span = r.span(item, p, id: id), let location { shifts.append(Shift(location: location, span: span)) }
            }
            var blocks: [Block] = []
            for (j, item) in (r.list(o, "blocks", path, id: id, required: false) ?? []).enumerated() {
                let p = "\(path).blocks[\(j)]"
                guard let b = r.object(item, p, id: id) else { continue }
                let reason = r.string(b, "reason", p, id: id, required: false)
                if let span = r.span(item, p, id: id) { blocks.append(Block(span: span, reason: reason)) }
            }
            providers.append(Provider(id: id, skills: skills, shifts: shifts, blocks: blocks))
        }

        var types: [AppointmentType] = []
        for (path, o, id) in elements("appointmentTypes") {
            let duration = r.int(o, "durationMinutes", path, id: id)
            var roles: [Role] = []
            for (j, item) in (r.list(o, "roles", path, id: id) ?? []).enumerated() {
                let p = "\(path).roles[\(j)]"
                if let ro = r.object(item, p, id: id) {
                    roles.append(Role(skills: r.strings(ro, "skills", p, id: id, required: false) ?? []))
                }
            }
            let roomKinds = r.strings(o, "roomKinds", path, id: id, required: false) ?? []
            var needs: [EquipmentNeed] = []
            for (j, item) in (r.list(o, "equipment", path, id: id, required: false) ?? []).enumerated() {
                let p = "\(path).equipment[\(j)]"
                guard let e = r.object(item, p, id: id) else { continue }
                let kind = r.string(e, "kind", p, id: id)
                let quantity = r.int(e, "quantity", p, id: id)
                if let kind, let quantity { needs.append(EquipmentNeed(kind: kind, quantity: quantity)) }
            }
            let setup = r.int(o, "setupMinutes", path, id: id, required: false) ?? 0
            let cleanup = r.int(o, "cleanupMinutes", path, id: id, required: false) ?? 0
            let telehealth = r.bool(o, "telehealth", path, id: id, required: false)
            if let duration {
                types.append(AppointmentType(id: id, durationMinutes: duration, roles: roles, roomKinds: roomKinds,
                                             equipment: needs, setupMinutes: setup, cleanupMinutes: cleanup,
                                             telehealth: telehealth))
            }
        }

        let objective = readObjective(top, &r)

        var requests: [Request] = []
        requests.reserveCapacity(16_384)
        for (path, o, id) in elements("requests") {
            if let request = readRequest(o, path: path, id: id, &r) { requests.append(request) }
        }

        if !r.issues.isEmpty { throw FormatError(document: "instance", issues: r.issues) }
        return Instance(name: name, timeline: r.timeline, horizon: horizon, granularityMinutes: granularity,
                        locations: locations, rooms: rooms, equipment: equipment, providers: providers,
                        appointmentTypes: types, requests: requests, objective: objective)
    }

    private static func readObjective(_ top: JSONObject, _ r: inout FieldReader) -> Objective {
        let o = r.object(top, "objective", "instance", id: nil) ?? JSONObject()
        func perPriority(_ key: String) -> PerPriority<Double> {
            guard let m = r.object(o, key, "objective", id: nil) else { return PerPriority(urgent: 0, soon: 0, routine: 0) }
            let p = "objective.\(key)"
            return PerPriority(urgent: r.number(m, "urgent", p, id: nil) ?? 0, soon: r.number(m, "soon", p, id: nil) ?? 0,
                               routine: r.number(m, "routine", p, id: nil) ?? 0)
        }
        let unscheduled = perPriority("unscheduledPenalty")
        let lead = perPriority("leadCostPerDay")
        var move = PerStatus<Double>(confirmed: 0, tentative: 0)
        if let m = r.object(o, "moveCost", "objective", id: nil) {
            move = PerStatus(confirmed: r.number(m, "confirmed", "objective.moveCost", id: nil) ?? 0,
                             tentative: r.number(m, "tentative", "objective.moveCost", id: nil) ?? 0)
        }
        return Objective(unscheduledPenalty: unscheduled,
                         idleMinuteCost: r.number(o, "idleMinuteCost", "objective", id: nil) ?? 0,
                         leadCostPerDay: lead,
                         preferenceMissCost: r.number(o, "preferenceMissCost", "objective", id: nil) ?? 0,
                         moveCost: move)
    }

    private static func readRequest(_ o: JSONObject, path: String, id: String, _ r: inout FieldReader) -> Request? {
        let patient = r.string(o, "patient", path, id: id)
        let type = r.string(o, "type", path, id: id)
        let priority = r.enumeration(o, "priority", path, id: id, as: Priority.self)
        let earliest = r.minute(o, "earliest", path, id: id)
        let latest = r.minute(o, "latest", path, id: id)
        let arrival = r.minute(o, "arrival", path, id: id)
        let locations = r.strings(o, "locations", path, id: id, required: false)
        let providers = r.strings(o, "providers", path, id: id, required: false)
        let preferred = r.strings(o, "preferredProviders", path, id: id, required: false)
        let availability = r.spans(o, "patientAvailability", path, id: id, required: false)
        var group: GroupMembership?
        if let g = r.object(o, "group", path, id: id, required: false) {
            let p = "\(path).group"
            let gid = r.string(g, "id", p, id: id)
            let mode = r.enumeration(g, "mode", p, id: id, as: GroupMode.self)
            let sequence = mode == .sequence
            let order = r.number(g, "order", p, id: id, required: sequence) ?? 0
            let gap = r.int(g, "maxGapMinutes", p, id: id, required: sequence) ?? 0
            if let gid, let mode { group = GroupMembership(id: gid, mode: mode, order: order, maxGapMinutes: gap) }
        }
        var after: SeriesLink?
        if let a = r.object(o, "after", path, id: id, required: false) {
            let p = "\(path).after"
            let pred = r.string(a, "request", p, id: id)
            let lo = r.int(a, "minGapMinutes", p, id: id)
            let hi = r.int(a, "maxGapMinutes", p, id: id)
            if let pred, let lo, let hi { after = SeriesLink(request: pred, minGapMinutes: lo, maxGapMinutes: hi) }
        }
        var current: ExistingBooking?
        if let c = r.object(o, "current", path, id: id, required: false) {
            let p = "\(path).current"
            let provs = r.strings(c, "providers", p, id: id)
            var room: String?
            var roomOK = true
            switch c["room"] {
            case nil:
                r.problem("\(p).room", id: id, "missing field 'room' (null for telehealth)")
                roomOK = false
            case .null?: room = nil
            case .string(let s)? where !s.isEmpty: room = s
            case let other?:
                r.problem("\(p).room", id: id, "expected a non-empty string or null, found \(other.kindName)")
                roomOK = false
            }
            let start = r.minute(c, "start", p, id: id)
            let status = r.enumeration(c, "status", p, id: id, as: BookingStatus.self)
            let pinned = r.bool(c, "pinned", p, id: id, required: false) ?? false
            if let provs, roomOK, let start, let status {
                current = ExistingBooking(providers: provs, room: room, start: start, status: status, pinned: pinned)
            }
        }
        guard let patient, let type, let priority, let earliest, let latest, let arrival else { return nil }
        return Request(id: id, patient: patient, type: type, priority: priority, earliest: earliest, latest: latest,
                       arrival: arrival, locations: locations, providers: providers, preferredProviders: preferred,
                       patientAvailability: availability, group: group, after: after, current: current)
    }
}
