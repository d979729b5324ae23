import AppointmentOptimizer

/// The JSON the API answers with: placements, outcomes, offers, summaries. Instants are RFC 3339
/// in the offset of the clinic's first location, as in its journal.
extension Clinic {
    func json(_ p: Placement) -> JSONValue {
        .object(JSONObject([
            "request": .string(p.request),
            "providers": .array(p.providers.map(JSONValue.string)),
            "room": p.room.map(JSONValue.string) ?? .null,
            "start": .string(instant(p.start)),
        ]))
    }

    func json(_ m: Move) -> JSONValue {
        .object(JSONObject(["request": .string(m.request), "from": json(m.from), "to": json(m.to)]))
    }

    /// What a change did.
    func json(_ o: ChangeOutcome) -> JSONValue {
        var j = JSONObject()
        j.append("op", .string(o.event.change.op))
        j.append("at", .string(instant(o.event.at)))
        j.append("applied", .bool(o.isApplied))
        if let refusal = o.refusal { j.append("refusal", .string(refusal)) }
        j.append("booked", .array(o.booked.map(json)))
        j.append("moved", .array(o.moved.map(json)))
        j.append("displaced", .array(o.displaced.map { d in
            .object(JSONObject(["request": .string(d.request), "from": json(d.from), "reason": .string(d.reason)]))
        }))
        j.append("repaired", .array(o.repaired.map(json)))
        j.append("waiting", .array(o.waiting.map(JSONValue.string)))
        j.append("cancelled", .array(o.cancelled.map(JSONValue.string)))
        j.append("stillConfirmed", .array(o.stillConfirmed.map(JSONValue.string)))
        j.append("releasedHolds", .array(o.releasedHolds.map(JSONValue.string)))
        if let range = o.journal {
            j.append("journal", .object(JSONObject(["first": .number(Double(range.lowerBound)), "last": .number(Double(range.upperBound))])))
        }
        return .object(j)
    }

    func json(_ offers: OfferResult, request: String) -> JSONValue {
        var j = JSONObject()
        j.append("request", .string(request))
        j.append("offers", .array(offers.offers.map { offer in
            .object(JSONObject([
                "start": .string(instant(offer.start)),
                "placements": .array(offer.placements.map(json)),
                "score": .number(offer.score),
            ]))
        }))
        if let e = offers.explanation { j.append("explanation", .string(e.description)) }
        return .object(j)
    }

    /// The clinic at a glance.
    func summary() -> JSONValue {
        let (instance, sequence) = desk.snapshot()
        let booked = instance.requests.filter { $0.current != nil }
        var j = JSONObject()
        j.append("id", .string(id))
        j.append("name", .string(instance.name))
        j.append("asOf", .string(instant(instance.decisionTime)))
        j.append("sequence", .number(Double(sequence)))
        j.append("requests", .number(Double(instance.requests.count)))
        j.append("booked", .number(Double(booked.count)))
        j.append("confirmed", .number(Double(booked.filter { $0.current?.status == .confirmed }.count)))
        j.append("waiting", .number(Double(instance.requests.count - booked.count)))
        j.append("holds", .number(Double(instance.holds.count)))
        return .object(j)
    }

    /// A request as in the exchange format, with its booking.
    func json(request id: String) -> JSONValue? {
        let instance = desk.state.instance
        guard let r = instance.requests.first(where: { $0.id == id }) else { return nil }
        var one = instance
        one.requests = [r]
        guard case .array(let list)? = ExchangeFormat.encode(one)["requests"], let first = list.first else { return nil }
        return first
    }
}
