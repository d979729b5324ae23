extension ClinicEvent {
    /// Reads one line of an event stream against `instance` (its timeline turns instants into
    /// minutes). Every problem of the line is reported, each with its field and the id involved.
    ///
    /// - Complexity: O(line length).
    public static func read(line: some Collection<UInt8>, instance: Instance) throws(FormatError) -> ClinicEvent {
        try ExchangeFormat.parseJSON(Array(line), document: "event").withRoot { top throws(FormatError) in
            var r = FieldReader()
            r.timeline = instance.timeline
            let event = read(top, &r)
            if let event, r.issues.isEmpty { return event }
            throw FormatError(document: "event", issues: r.issues.isEmpty
                              ? [InstanceIssue(.error, path: "event", message: "cannot be read")] : r.issues)
        }
    }

    private static func read(_ o: JSONView, _ r: inout FieldReader) -> ClinicEvent? {
        let at = r.minute(o, "at", "event", id: nil)
        guard let op = r.string(o, "op", "event", id: nil) else { return nil }
        // The path names the operation and the id it is about: `event(block PRV-001).end`.
        var subject: String?
        if let v = o["request"], v.kind == .object, let id = v["id"], id.kind == .string { subject = id.string }
        for key: StaticString in ["request", "id", "provider", "room"] where subject == nil {
            if let v = o[key], v.kind == .string { subject = v.string }
        }
        let path = subject.map { "event(\(op) \($0))" } ?? "event(\(op))"
        let repair = r.bool(o, "repair", path, id: nil, required: false) ?? true
        func id(_ key: StaticString) -> String? { r.string(o, key, path, id: nil) }
        func span(_ id: String?) -> TimeSpan? {
            let p = path
            guard let s = r.minute(o, "start", p, id: id), let e = r.minute(o, "end", p, id: id) else { return nil }
            if e <= s { r.problem("\(p).end", id: id, "is not after start"); return nil }
            return TimeSpan(start: s, end: e)
        }
        let change: Change?
        switch op {
        case "arrive":
            guard let ro = r.object(o, "request", path, id: nil) else { return nil }
            guard let rid = r.string(ro, "id", "\(path).request", id: nil) else { return nil }
            if ro["current"].map({ !$0.isNull }) ?? false {
                r.problem("\(path).request.current", id: rid, "an arriving request has no booking; book or place it after it arrives")
            }
            change = ExchangeFormat.readRequest(ro, path: ElementPath(section: "arrive.request", index: 0, id: rid), id: rid,
                                                version2: true, &r).map { .arrive($0) }
        case "book": change = id("request").map { .book(request: $0) }
        case "cancel": change = id("request").map { .cancel(request: $0) }
        case "confirm": change = id("request").map { .confirm(request: $0) }
        case "unbook": change = id("request").map { .unbook(request: $0) }
        case "fill": change = .fill
        case "place":
            let request = id("request")
            let providers = r.strings(o, "providers", path, id: request)
            var room: String?
            var roomOK = true
            if let v = o["room"], !v.isNull {
                if v.kind == .string, !v.string.isEmpty { room = v.string } else {
                    r.problem("\(path).room", id: request, "expected a room id or null")
                    roomOK = false
                }
            }
            let start = r.minute(o, "start", path, id: request)
            if let request, let providers, let start, roomOK {
                change = .place(Placement(request: request, providers: providers, room: room, start: start))
            } else { change = nil }
        case "block":
            let provider = id("provider")
            let reason = r.string(o, "reason", path, id: provider, required: false)
            change = provider.flatMap { p in span(p).map { .block(provider: p, span: $0, reason: reason, repair: repair) } }
        case "unblock":
            let provider = id("provider")
            change = provider.flatMap { p in span(p).map { .unblock(provider: p, span: $0) } }
        case "closeRoom":
            let room = id("room")
            change = room.flatMap { k in span(k).map { .closeRoom(room: k, span: $0, repair: repair) } }
        case "hold":
            let hid = id("id")
            let provider = r.string(o, "provider", path, id: hid)
            var priorities = Set<Priority>()
            for (j, item) in (r.list(o, "priorities", path, id: hid) ?? []).enumerated() {
                if let p = r.enumeration(item, "\(path).priorities[\(j)]", id: hid, as: Priority.self) { priorities.insert(p) }
            }
            let release = r.int(o, "releaseMinutesBefore", path, id: hid, required: false) ?? 0
            if release < 0 { r.problem("\(path).releaseMinutesBefore", id: hid, "is negative") }
            if priorities.isEmpty { r.problem("\(path).priorities", id: hid, "is empty (nobody could ever use the hold)") }
            if let hid, let provider, let s = span(hid) {
                change = .hold(Hold(id: hid, provider: provider, span: s, priorities: priorities, releaseMinutesBefore: release),
                               repair: repair)
            } else { change = nil }
        case "releaseHold": change = id("id").map { .releaseHold(id: $0) }
        case "authorize":
            let request = id("request")
            let status = r.enumeration(o, "status", path, id: request, as: AuthorizationStatus.self)
            let from = r.minute(o, "validFrom", path, id: request, required: false)
            let until = r.minute(o, "validUntil", path, id: request, required: false)
            if let from, let until, until <= from { r.problem("\(path).validUntil", id: request, "is not after validFrom") }
            if let request, let status {
                change = .authorize(request: request, Authorization(status: status, validFrom: from, validUntil: until), repair: repair)
            } else { change = nil }
        default:
            r.problem("event.op", "unknown operation \"\(op)\"; expected one of arrive, book, place, cancel, confirm, block, unblock, closeRoom, hold, releaseHold, authorize, fill, unbook")
            change = nil
        }
        guard let at, let change else { return nil }
        return ClinicEvent(at: at, change)
    }
}
