import Foundation

/// Reading and writing the `clinic-schedule/1` exchange format
/// (`shared/spec/clinic-schedule-format.md`).
///
/// Readers report every structural problem at once in a ``FormatError``; the semantic checks of a
/// well-formed instance (dangling references, overlapping shifts, infeasible existing bookings)
/// are ``InstanceChecker``'s job.
public enum ExchangeFormat {
    /// The `format` value of a version-1 instance document.
    public static let instanceFormat = "clinic-schedule/1"
    /// Version 2: decision time, holds, authorizations, preparation and reminders.
    public static let instanceFormatV2 = "clinic-schedule/2"
    /// The `format` value of a solution document (the same for both instance versions).
    public static let solutionFormat = "clinic-schedule-solution/1"

    /// Reads an instance from a file.
    public static func readInstance(contentsOf url: URL) throws(FormatError) -> Instance {
        try parseFile(url, document: "instance").withRoot { top throws(FormatError) in try readInstance(top) }
    }

    /// Reads and parses a file straight into a tape (no intermediate copies).
    static func parseFile(_ url: URL, document: String) throws(FormatError) -> JSONTape {
        if url.isFileURL, let (bytes, block) = JSONTape.readFile(url.path) {
            return try tape(owning: bytes, block: block, document: document)
        }
        // Not a regular file that can be mapped: name a directory or a missing file; read a
        // stream (`/dev/stdin`, a pipe) to its end.
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue {
            throw FormatError(document: document, issues: [InstanceIssue(.error, path: url.path, message: "cannot read the file: it is a directory, not a \(document) file")])
        }
        if !exists {
            throw FormatError(document: document, issues: [InstanceIssue(.error, path: url.path, message: "cannot read the file: no such file")])
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FormatError(document: document, issues: [InstanceIssue(.error, path: url.path, message: "cannot read the file: it cannot be opened (permissions?)")])
        }
        let data = handle.readDataToEndOfFile()
        try? handle.close()
        return try parseJSON([UInt8](data), document: document)
    }

    static func parseJSON(_ bytes: [UInt8], document: String) throws(FormatError) -> JSONTape {
        let (owned, block) = PageBuffer.allocate(UInt8.self, count: bytes.count)
        _ = owned.initialize(from: bytes)
        return try tape(owning: UnsafeBufferPointer(owned), block: block, document: document)
    }

    static func tape(owning bytes: UnsafeBufferPointer<UInt8>, block: PageBuffer, document: String) throws(FormatError) -> JSONTape {
        let tape: JSONTape
        do {
            tape = try JSONTape(owning: bytes, block: block)
        } catch {
            throw FormatError(document: document, issues: [
                InstanceIssue(.error, path: document, message: "not valid JSON: \(error)"),
            ])
        }
        let value = tape.root
        guard value.kind == .object else {
            throw FormatError(document: document, issues: [
                InstanceIssue(.error, path: document, message: "expected a JSON object at the top level, found \(value.kindName)"),
            ])
        }
        return tape
    }

    /// Reads an instance from UTF-8 JSON bytes.
    ///
    /// - Complexity: O(n) in the document size.
    public static func readInstance(_ bytes: [UInt8]) throws(FormatError) -> Instance {
        try parseJSON(bytes, document: "instance").withRoot { top throws(FormatError) in try readInstance(top) }
    }

    private static func readInstance(_ top: JSONView) throws(FormatError) -> Instance {
        var r = FieldReader()
        let format = r.string(top, "format", "instance", id: nil)
        if let format, format != instanceFormat, format != instanceFormatV2 {
            throw FormatError(document: "instance", issues: [
                InstanceIssue(.error, path: "instance.format",
                              message: "is \"\(format)\", expected \"\(instanceFormat)\" or \"\(instanceFormatV2)\""),
            ])
        }
        // Version-2 fields are read from version-2 documents only (a version-1 file keeps its meaning).
        let v2 = format == instanceFormatV2
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

        /// The elements of a top-level list that are objects with an id. Their `path` is lazy.
        func elements(_ key: StaticString, required: Bool = true) -> [(path: ElementPath, object: JSONView, id: String)] {
            var out: [(ElementPath, JSONView, String)] = []
            let items = r.list(top, key, "instance", id: nil, required: required) ?? []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                guard let o = r.object(item, "\(key)[\(i)]") else { continue }
                guard let id = r.string(o, "id", "\(key)[\(i)]", id: nil) else { continue }
                out.append((ElementPath(section: key, index: i, id: id), o, id))
            }
            return out
        }

        var locations: [Location] = []
        for (path, o, id) in elements("locations") {
            if let tz = r.string(o, "timeZone", path.text, id: id) { locations.append(Location(id: id, timeZone: tz)) }
        }

        var rooms: [Room] = []
        for (path, o, id) in elements("rooms") {
            let location = r.string(o, "location", path.text, id: id)
            let kinds = r.strings(o, "kinds", path.text, id: id)
            let open = r.spans(o, "open", path.text, id: id, required: false) ?? []
            if let location, let kinds { rooms.append(Room(id: id, location: location, kinds: kinds, open: open)) }
        }

        var equipment: [EquipmentPool] = []
        for (path, o, id) in elements("equipment", required: false) {
            let kind = r.string(o, "kind", path.text, id: id)
            let location = r.string(o, "location", path.text, id: id)
            let quantity = r.int(o, "quantity", path.text, id: id)
            if let kind, let location, let quantity {
                equipment.append(EquipmentPool(id: id, kind: kind, location: location, quantity: quantity))
            }
        }

        var providers: [Provider] = []
        for (path, o, id) in elements("providers") {
            let skills = r.strings(o, "skills", path.text, id: id, required: false) ?? []
            var shifts: [Shift] = []
            for (j, item) in (r.list(o, "shifts", path.text, id: id, required: false) ?? []).enumerated() {
                let p = "\(path).shifts[\(j)]"
                guard let s = r.object(item, p, id: id) else { continue }
                let location = r.string(s, "location", p, id: id)
                if let span = r.span(item, p, id: id), let location { shifts.append(Shift(location: location, span: span)) }
            }
            var blocks: [Block] = []
            for (j, item) in (r.list(o, "blocks", path.text, id: id, required: false) ?? []).enumerated() {
                let p = "\(path).blocks[\(j)]"
                guard let b = r.object(item, p, id: id) else { continue }
                let reason = r.string(b, "reason", p, id: id, required: false)
                if let span = r.span(item, p, id: id) { blocks.append(Block(span: span, reason: reason)) }
            }
            providers.append(Provider(id: id, skills: skills, shifts: shifts, blocks: blocks))
        }

        var types: [AppointmentType] = []
        for (path, o, id) in elements("appointmentTypes") {
            let duration = r.int(o, "durationMinutes", path.text, id: id)
            var roles: [Role] = []
            for (j, item) in (r.list(o, "roles", path.text, id: id) ?? []).enumerated() {
                let p = "\(path).roles[\(j)]"
                if let ro = r.object(item, p, id: id) {
                    roles.append(Role(skills: r.strings(ro, "skills", p, id: id, required: false) ?? []))
                }
            }
            let roomKinds = r.strings(o, "roomKinds", path.text, id: id, required: false) ?? []
            var needs: [EquipmentNeed] = []
            for (j, item) in (r.list(o, "equipment", path.text, id: id, required: false) ?? []).enumerated() {
                let p = "\(path).equipment[\(j)]"
                guard let e = r.object(item, p, id: id) else { continue }
                let kind = r.string(e, "kind", p, id: id)
                let quantity = r.int(e, "quantity", p, id: id)
                if let kind, let quantity { needs.append(EquipmentNeed(kind: kind, quantity: quantity)) }
            }
            let setup = r.int(o, "setupMinutes", path.text, id: id, required: false) ?? 0
            let cleanup = r.int(o, "cleanupMinutes", path.text, id: id, required: false) ?? 0
            let telehealth = r.bool(o, "telehealth", path.text, id: id, required: false)
            let prep = v2 ? r.string(o, "prep", path.text, id: id, required: false) : nil
            var reminders: [Int]?
            if v2, let list = r.list(o, "reminderMinutesBefore", path.text, id: id, required: false) {
                reminders = []
                for (j, item) in list.enumerated() {
                    let p = "\(path).reminderMinutesBefore[\(j)]"
                    if let m = r.int(item, p, id: id) { reminders?.append(m) }
                }
            }
            if let duration {
                types.append(AppointmentType(id: id, durationMinutes: duration, roles: roles, roomKinds: roomKinds,
                                             equipment: needs, setupMinutes: setup, cleanupMinutes: cleanup,
                                             telehealth: telehealth, prep: prep, reminderMinutesBefore: reminders))
            }
        }

        let objective = readObjective(top, &r)

        var asOf: Int?
        var holds: [Hold] = []
        if v2 {
            asOf = r.minute(top, "asOf", "instance", id: nil, required: false)
            for (path, o, id) in elements("holds", required: false) {
                let provider = r.string(o, "provider", path.text, id: id)
                let span = r.span(o, path.text, id: id)
                var priorities = Set<Priority>()
                for (j, item) in (r.list(o, "priorities", path.text, id: id) ?? []).enumerated() {
                    if let p = r.enumeration(item, "\(path).priorities[\(j)]", id: id, as: Priority.self) { priorities.insert(p) }
                }
                let release = r.int(o, "releaseMinutesBefore", path.text, id: id, required: false) ?? 0
                if let provider, let span {
                    holds.append(Hold(id: id, provider: provider, span: span, priorities: priorities, releaseMinutesBefore: release))
                }
            }
        }

        var requests: [Request] = []
        if let list = r.listView(top, "requests", "instance", id: nil) {
            requests = readRequests(list, timeline: r.timeline, version2: v2, issues: &r.issues)
        }

        if !r.issues.isEmpty { throw FormatError(document: "instance", issues: r.issues) }
        return Instance(name: name, timeline: r.timeline, horizon: horizon, granularityMinutes: granularity,
                        locations: locations, rooms: rooms, equipment: equipment, providers: providers,
                        appointmentTypes: types, requests: requests, objective: objective,
                        formatVersion: v2 ? 2 : 1, asOf: asOf, holds: holds)
    }

    private static func readObjective(_ top: JSONView, _ r: inout FieldReader) -> Objective {
        guard let o = r.object(top, "objective", "instance", id: nil) else {
            let zero = PerPriority<Double>(urgent: 0, soon: 0, routine: 0)
            return Objective(unscheduledPenalty: zero, idleMinuteCost: 0, leadCostPerDay: zero, preferenceMissCost: 0,
                             moveCost: PerStatus(confirmed: 0, tentative: 0))
        }
        func perPriority(_ key: StaticString) -> PerPriority<Double> {
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

    /// Reads the requests: they are most of a large instance.
    private static func readRequests(_ list: JSONView, timeline: Timeline, version2: Bool, issues: inout [InstanceIssue]) -> [Request] {
        var r = FieldReader()
        r.timeline = timeline
        var out: [Request] = []
        out.reserveCapacity(list.count)
        list.forEachElement { i, item in
            guard let o = r.object(item, "requests[\(i)]"), let id = r.string(o, "id", "requests[\(i)]", id: nil) else { return }
            if let request = readRequest(o, path: ElementPath(section: "requests", index: i, id: id), id: id, version2: version2, &r) {
                out.append(request)
            }
        }
        issues += r.issues
        return out
    }

    /// Reads one request. Requests are most of a large instance, so their members are found in one
    /// pass over the object instead of one lookup per field.
    static func readRequest(_ o: JSONView, path: ElementPath, id: String, version2: Bool, _ r: inout FieldReader) -> Request? {
        // Node index of each member's value (0: absent; node 0 is the document root, never a member).
        var found = RequestMembers()
        o.forEachMember { key, value in
            if let k = RequestKey.match(key, in: o.tape), found[k] == 0 { found[k] = value.node }
        }
        func v(_ k: RequestKey, required: Bool = true) -> JSONView? {
            let n = found[k]
            return r.present(n == 0 ? nil : JSONView(tape: o.tape, node: n), k.name, path.text, id: id, required: required)
        }
        let patient = r.string(v(.patient), "\(path).patient", id: id)
        let type = r.sharedString(v(.type), "\(path).type", id: id)
        let priority = r.enumeration(v(.priority), "\(path).priority", id: id, as: Priority.self)
        let earliest = r.minute(v(.earliest), "\(path).earliest", id: id)
        let latest = r.minute(v(.latest), "\(path).latest", id: id)
        let arrival = r.minute(v(.arrival), "\(path).arrival", id: id)
        let locations = r.strings(v(.locations, required: false), "\(path).locations", id: id)
        let providers = r.strings(v(.providers, required: false), "\(path).providers", id: id)
        let preferred = r.strings(v(.preferredProviders, required: false), "\(path).preferredProviders", id: id)
        let availability = r.spans(v(.patientAvailability, required: false), "\(path).patientAvailability", id: id)
        var group: GroupMembership?
        if let g = v(.group, required: false).flatMap({ r.object($0, "\(path).group", id: id) }) {
            let gid = r.string(g, "id", "\(path).group", id: id)
            let mode = r.enumeration(g, "mode", "\(path).group", id: id, as: GroupMode.self)
            let sequence = mode == .sequence
            let order = r.number(g, "order", "\(path).group", id: id, required: sequence) ?? 0
            let gap = r.int(g, "maxGapMinutes", "\(path).group", id: id, required: sequence) ?? 0
            if let gid, let mode { group = GroupMembership(id: gid, mode: mode, order: order, maxGapMinutes: gap) }
        }
        var after: SeriesLink?
        if let a = v(.after, required: false).flatMap({ r.object($0, "\(path).after", id: id) }) {
            let pred = r.string(a, "request", "\(path).after", id: id)
            let lo = r.int(a, "minGapMinutes", "\(path).after", id: id)
            let hi = r.int(a, "maxGapMinutes", "\(path).after", id: id)
            if let pred, let lo, let hi { after = SeriesLink(request: pred, minGapMinutes: lo, maxGapMinutes: hi) }
        }
        var current: ExistingBooking?
        if let c = v(.current, required: false).flatMap({ r.object($0, "\(path).current", id: id) }) {
            func p() -> String { "\(path).current" }
            let provs = r.strings(c, "providers", p(), id: id)
            var room: String?
            var roomOK = true
            if let v = c["room"] {
                if v.kind == .string, !v.string.isEmpty {
                    room = v.string
                } else if !v.isNull {
                    r.problem("\(p()).room", id: id, "expected a non-empty string or null, found \(v.kind == .string ? "an empty string" : v.kindName)")
                    roomOK = false
                }
            } else {
                r.problem("\(p()).room", id: id, "missing field 'room' (null for telehealth)")
                roomOK = false
            }
            let start = r.minute(c, "start", p(), id: id)
            let status = r.enumeration(c, "status", p(), id: id, as: BookingStatus.self)
            let pinned = r.bool(c, "pinned", p(), id: id, required: false) ?? false
            if let provs, roomOK, let start, let status {
                current = ExistingBooking(providers: provs, room: room, start: start, status: status, pinned: pinned)
            }
        }
        var authorization: Authorization?
        if version2, let a = v(.authorization, required: false).flatMap({ r.object($0, "\(path).authorization", id: id) }) {
            let p = "\(path).authorization"
            let status = r.enumeration(a, "status", p, id: id, as: AuthorizationStatus.self)
            let from = r.minute(a, "validFrom", p, id: id, required: false)
            let until = r.minute(a, "validUntil", p, id: id, required: false)
            if let status { authorization = Authorization(status: status, validFrom: from, validUntil: until) }
        }
        guard let patient, let type, let priority, let earliest, let latest, let arrival else { return nil }
        return Request(id: id, patient: patient, type: type, priority: priority, earliest: earliest, latest: latest,
                       arrival: arrival, locations: locations, providers: providers, preferredProviders: preferred,
                       patientAvailability: availability, group: group, after: after, current: current,
                       authorization: authorization)
    }

    /// Where each member of a request object is, without a heap allocation per request.
    private struct RequestMembers {
        private var nodes: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32)
            = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

        subscript(key: RequestKey) -> Int {
            get { withUnsafeBytes(of: nodes) { Int($0.load(fromByteOffset: key.rawValue * 4, as: Int32.self)) } }
            set { withUnsafeMutableBytes(of: &nodes) { $0.storeBytes(of: Int32(newValue), toByteOffset: key.rawValue * 4, as: Int32.self) } }
        }
    }

    /// The members of a request object.
    private enum RequestKey: Int, CaseIterable {
        case patient, type, priority, earliest, latest, arrival, locations, providers, preferredProviders
        case patientAvailability, group, after, current, authorization

        var name: StaticString {
            switch self {
            case .patient: "patient"
            case .type: "type"
            case .priority: "priority"
            case .earliest: "earliest"
            case .latest: "latest"
            case .arrival: "arrival"
            case .locations: "locations"
            case .providers: "providers"
            case .preferredProviders: "preferredProviders"
            case .patientAvailability: "patientAvailability"
            case .group: "group"
            case .after: "after"
            case .current: "current"
            case .authorization: "authorization"
            }
        }

        /// The key named by a key node: one candidate by length and first byte, then one compare.
        @inline(__always)
        static func match(_ keyNode: Int, in tape: JSONTape.Document) -> RequestKey? {
            let node = tape.nodes[keyNode]
            let length = Int(node.end) - Int(node.start)
            guard length >= 4 else { return nil }
            let first = tape.bytes[Int(node.start)]
            let candidate: RequestKey
            switch (length, first) {
            case (7, UInt8(ascii: "p")): candidate = .patient
            case (4, _): candidate = .type
            case (8, UInt8(ascii: "p")): candidate = .priority
            case (8, _): candidate = .earliest
            case (6, _): candidate = .latest
            case (7, UInt8(ascii: "a")): candidate = .arrival
            case (9, UInt8(ascii: "l")): candidate = .locations
            case (9, _): candidate = .providers
            case (18, _): candidate = .preferredProviders
            case (19, _): candidate = .patientAvailability
            case (5, UInt8(ascii: "g")): candidate = .group
            case (5, _): candidate = .after
            case (7, UInt8(ascii: "c")): candidate = .current
            case (13, _): candidate = .authorization
            default: return nil
            }
            return tape.stringEquals(keyNode, candidate.name) ? candidate : nil
        }
    }
}

/// Where an element of a top-level list is, formatted only when a problem is reported:
/// `requests[17] (R0018)`.
struct ElementPath: CustomStringConvertible {
    let section: StaticString
    let index: Int
    let id: String

    var text: String { "\(section)[\(index)] (\(id))" }
    var description: String { text }
}