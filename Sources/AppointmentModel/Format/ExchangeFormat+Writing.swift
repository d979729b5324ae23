extension ExchangeFormat {
    /// Writes an instance. Each instant is written in the UTC offset its location's time zone has
    /// at that instant (shifts and rooms in their own location; requests in their first allowed
    /// location, else their current room's, else the instance's first location).
    public static func write(_ instance: Instance) -> String {
        JSONWriter.write(.object(encode(instance)))
    }

    /// Writes a solution, each start in the offset of the room's location (telehealth: the
    /// location of the first provider's shift), at that instant.
    public static func write(_ solution: Solution, for instance: Instance) -> String {
        JSONWriter.write(.object(encode(solution, index: InstanceIndex(instance))))
    }

    /// The instance as a JSON object: what ``write(_:)-(Instance)`` writes.
    public static func encode(_ instance: Instance) -> JSONObject {
        let index = InstanceIndex(instance)
        let clock = InstantWriter(instance: instance)
        let first = instance.locations.first?.id
        var top = JSONObject()
        let v2 = instance.usesVersion2Rules
        top.append("format", .string(v2 ? instanceFormatV2 : instanceFormat))
        top.append("name", .string(instance.name))
        if v2, let asOf = instance.asOf { top.append("asOf", clock.instant(asOf, first)) }
        top.append("horizon", clock.span(instance.horizon, first))
        top.append("granularityMinutes", .number(Double(instance.granularityMinutes)))
        top.append("locations", .array(instance.locations.map {
            .object(JSONObject(["id": .string($0.id), "timeZone": .string($0.timeZone)]))
        }))
        top.append("rooms", .array(instance.rooms.map { room in
            .object(JSONObject([
                "id": .string(room.id), "location": .string(room.location),
                "kinds": strings(room.kinds),
                "open": .array(room.open.map { clock.span($0, room.location) }),
            ]))
        }))
        top.append("equipment", .array(instance.equipment.map { p in
            .object(JSONObject(["id": .string(p.id), "kind": .string(p.kind), "location": .string(p.location),
                                "quantity": .number(Double(p.quantity))]))
        }))
        top.append("providers", .array(instance.providers.map { p in
            func locationOf(_ span: TimeSpan) -> String? {
                p.shifts.first { $0.span.overlaps(span) || $0.span.contains(minute: span.start) }?.location
                    ?? p.shifts.first?.location ?? first
            }
            return .object(JSONObject([
                "id": .string(p.id), "skills": strings(p.skills),
                "shifts": .array(p.shifts.map { s in
                    .object(JSONObject(["location": .string(s.location),
                                        "start": clock.instant(s.span.start, s.location),
                                        "end": clock.instant(s.span.end, s.location)]))
                }),
                "blocks": .array(p.blocks.map { b in
                    let location = locationOf(b.span)
                    var o = JSONObject()
                    o.append("start", clock.instant(b.span.start, location))
                    o.append("end", clock.instant(b.span.end, location))
                    if let reason = b.reason { o.append("reason", .string(reason)) }
                    return .object(o)
                }),
            ]))
        }))
        top.append("appointmentTypes", .array(instance.appointmentTypes.map { t in
            var o = JSONObject([
                "id": .string(t.id), "durationMinutes": .number(Double(t.durationMinutes)),
                "roles": .array(t.roles.map { .object(JSONObject(["skills": strings($0.skills)])) }),
                "roomKinds": strings(t.roomKinds),
                "equipment": .array(t.equipment.map {
                    .object(JSONObject(["kind": .string($0.kind), "quantity": .number(Double($0.quantity))]))
                }),
                "setupMinutes": .number(Double(t.setupMinutes)), "cleanupMinutes": .number(Double(t.cleanupMinutes)),
                "telehealth": .bool(t.telehealth),
            ])
            if v2, let prep = t.prep { o.append("prep", .string(prep)) }
            if v2, let minutes = t.reminderMinutesBefore { o.append("reminderMinutesBefore", .array(minutes.map { .number(Double($0)) })) }
            return .object(o)
        }))
        if v2 {
            let providerLocation = Dictionary(instance.providers.map { ($0.id, $0.shifts.first?.location ?? first) },
                                              uniquingKeysWith: { a, _ in a })
            top.append("holds", .array(instance.holds.map { h in
                let location = providerLocation[h.provider] ?? first
                var o = JSONObject()
                o.append("id", .string(h.id))
                o.append("provider", .string(h.provider))
                o.append("start", clock.instant(h.span.start, location))
                o.append("end", clock.instant(h.span.end, location))
                o.append("priorities", .array(Priority.allCases.filter(h.priorities.contains).map { .string($0.rawValue) }))
                o.append("releaseMinutesBefore", .number(Double(h.releaseMinutesBefore)))
                return .object(o)
            }))
        }
        top.append("requests", .array(instance.requests.indices.map { i in
            .object(encode(instance.requests[i], location: index.displayLocation(ofRequest: i), clock: clock, version2: v2))
        }))
        let ob = instance.objective
        func per(_ p: PerPriority<Double>) -> JSONValue {
            .object(JSONObject(["urgent": .number(p.urgent), "soon": .number(p.soon), "routine": .number(p.routine)]))
        }
        top.append("objective", .object(JSONObject([
            "unscheduledPenalty": per(ob.unscheduledPenalty),
            "idleMinuteCost": .number(ob.idleMinuteCost),
            "leadCostPerDay": per(ob.leadCostPerDay),
            "preferenceMissCost": .number(ob.preferenceMissCost),
            "moveCost": .object(JSONObject(["confirmed": .number(ob.moveCost.confirmed),
                                            "tentative": .number(ob.moveCost.tentative)])),
        ])))
        return top
    }

    private static func encode(_ r: Request, location: String?, clock: InstantWriter, version2: Bool) -> JSONObject {
        var o = JSONObject()
        o.append("id", .string(r.id))
        o.append("patient", .string(r.patient))
        o.append("type", .string(r.type))
        o.append("priority", .string(r.priority.rawValue))
        o.append("earliest", clock.instant(r.earliest, location))
        o.append("latest", clock.instant(r.latest, location))
        o.append("arrival", clock.instant(r.arrival, location))
        if let v = r.locations { o.append("locations", strings(v)) }
        if let v = r.providers { o.append("providers", strings(v)) }
        if let v = r.preferredProviders { o.append("preferredProviders", strings(v)) }
        if let v = r.patientAvailability { o.append("patientAvailability", .array(v.map { clock.span($0, location) })) }
        if let g = r.group {
            var go = JSONObject()
            go.append("id", .string(g.id))
            go.append("mode", .string(g.mode.rawValue))
            go.append("order", .number(g.order))
            go.append("maxGapMinutes", .number(Double(g.maxGapMinutes)))
            o.append("group", .object(go))
        }
        if let a = r.after {
            o.append("after", .object(JSONObject([
                "request": .string(a.request), "minGapMinutes": .number(Double(a.minGapMinutes)),
                "maxGapMinutes": .number(Double(a.maxGapMinutes)),
            ])))
        }
        if let c = r.current {
            o.append("current", .object(JSONObject([
                "providers": strings(c.providers), "room": c.room.map(JSONValue.string) ?? .null,
                "start": clock.instant(c.start, location), "status": .string(c.status.rawValue),
                "pinned": .bool(c.pinned),
            ])))
        }
        if version2, let a = r.authorization {
            var ao = JSONObject()
            ao.append("status", .string(a.status.rawValue))
            if let from = a.validFrom { ao.append("validFrom", clock.instant(from, location)) }
            if let until = a.validUntil { ao.append("validUntil", clock.instant(until, location)) }
            o.append("authorization", .object(ao))
        }
        return o
    }

    static func encode(_ solution: Solution, index: InstanceIndex) -> JSONObject {
        let instance = index.instance
        let clock = InstantWriter(instance: instance)
        var top = JSONObject()
        top.append("format", .string(solutionFormat))
        top.append("instance", .string(solution.instance))
        top.append("assignments", .array(solution.assignments.map { a in
            var location: String?
            if let roomID = a.room, let k = index.room[roomID] {
                location = instance.rooms[k].location
            } else if let pid = a.providers.first, let p = index.provider[pid], let r = index.request[a.request],
                      let t = index.type[instance.requests[r].type] {
                location = index.shift(of: p, containing: instance.appointmentTypes[t].visit(at: a.start))?.location
            }
            return .object(JSONObject([
                "request": .string(a.request), "providers": strings(a.providers),
                "room": a.room.map(JSONValue.string) ?? .null,
                "start": clock.instant(a.start, location ?? instance.locations.first?.id),
            ]))
        }))
        top.append("unscheduled", .array(solution.unscheduled.map {
            .object(JSONObject(["request": .string($0.request), "reason": .string($0.reason)]))
        }))
        return top
    }

    private static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
}

/// Turns timeline minutes into RFC 3339 text in a location's offset at that instant.
struct InstantWriter {
    let timeline: Timeline
    let zones: ZoneOffsets

    init(instance: Instance) {
        timeline = instance.timeline
        zones = ZoneOffsets(locations: instance.locations)
    }

    func text(_ minute: Int, _ location: String?) -> String {
        let seconds = timeline.unixSeconds(minute: minute)
        return RFC3339.format(unixSeconds: seconds, offsetSeconds: zones.offsetSeconds(location: location, unixSeconds: seconds))
    }

    func instant(_ minute: Int, _ location: String?) -> JSONValue { .string(text(minute, location)) }

    func span(_ span: TimeSpan, _ location: String?) -> JSONValue {
        .object(JSONObject(["start": instant(span.start, location), "end": instant(span.end, location)]))
    }
}
