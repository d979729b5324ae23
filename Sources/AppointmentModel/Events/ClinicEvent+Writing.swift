extension ClinicEvent {
    /// The event as one line of JSON (no line break), instants in the offset of the instance's
    /// first location. `seq`, when given, is written as an extra member (a journal's sequence
    /// number; readers of the stream ignore it).
    public func line(for instance: Instance, seq: Int? = nil) -> String {
        let clock = InstantWriter(instance: instance)
        let location = instance.locations.first?.id
        func t(_ m: Int) -> JSONValue { clock.instant(m, location) }
        var o = JSONObject()
        if let seq { o.append("seq", .number(Double(seq))) }
        o.append("at", t(at))
        o.append("op", .string(change.op))
        switch change {
        case .arrive(let request):
            var copy = instance
            copy.formatVersion = 2
            copy.requests = [request]
            let encoded = ExchangeFormat.encode(copy)
            if case .array(let list)? = encoded["requests"], let first = list.first { o.append("request", first) }
        case .book(let id), .cancel(let id), .confirm(let id), .unbook(let id):
            o.append("request", .string(id))
        case .fill:
            break
        case .place(let p):
            o.append("request", .string(p.request))
            o.append("providers", .array(p.providers.map(JSONValue.string)))
            o.append("room", p.room.map(JSONValue.string) ?? .null)
            o.append("start", t(p.start))
        case .block(let provider, let span, let reason, let repair):
            o.append("provider", .string(provider))
            o.append("start", t(span.start))
            o.append("end", t(span.end))
            if let reason { o.append("reason", .string(reason)) }
            if !repair { o.append("repair", .bool(false)) }
        case .unblock(let provider, let span):
            o.append("provider", .string(provider))
            o.append("start", t(span.start))
            o.append("end", t(span.end))
        case .closeRoom(let room, let span, let repair):
            o.append("room", .string(room))
            o.append("start", t(span.start))
            o.append("end", t(span.end))
            if !repair { o.append("repair", .bool(false)) }
        case .hold(let h, let repair):
            o.append("id", .string(h.id))
            o.append("provider", .string(h.provider))
            o.append("start", t(h.span.start))
            o.append("end", t(h.span.end))
            o.append("priorities", .array(Priority.allCases.filter(h.priorities.contains).map { .string($0.rawValue) }))
            o.append("releaseMinutesBefore", .number(Double(h.releaseMinutesBefore)))
            if !repair { o.append("repair", .bool(false)) }
        case .releaseHold(let id):
            o.append("id", .string(id))
        case .authorize(let request, let a, let repair):
            o.append("request", .string(request))
            o.append("status", .string(a.status.rawValue))
            if let from = a.validFrom { o.append("validFrom", t(from)) }
            if let until = a.validUntil { o.append("validUntil", t(until)) }
            if !repair { o.append("repair", .bool(false)) }
        }
        return JSONWriter.writeLine(.object(o))
    }
}
