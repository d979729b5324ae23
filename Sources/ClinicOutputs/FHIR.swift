import AppointmentModel

/// FHIR R4 for other health systems: a `Bundle` (type `collection`) of one `Schedule` per
/// provider, `Slot`s (busy for each visit, free for each free stretch of a session) and an
/// `Appointment` per request (booked with its participants, or proposed while it waits); and the
/// import of proposed `Appointment`s as requests.
///
/// Patients appear as references to `Patient/<opaque id>` only; practitioners as
/// `Practitioner/<provider id>`; rooms and sites as `Location/<id>`.
public enum FHIR {
    /// The schedule as a Bundle.
    public static func bundle(_ view: ScheduleView) -> JSONValue {
        let instance = view.instance
        var entries: [JSONValue] = []
        func entry(_ type: String, _ id: String, _ resource: JSONObject) {
            var r = JSONObject()
            r.append("resourceType", .string(type))
            r.append("id", .string(fhirID(id)))
            for (k, v) in zip(resource.keys, resource.values) { r.append(k, v) }
            entries.append(.object(JSONObject(["fullUrl": .string("urn:uuid:\(uuid(type + "/" + id))"), "resource": .object(r)])))
        }
        func ref(_ type: String, _ id: String) -> JSONValue { .object(JSONObject(["reference": .string("\(type)/\(fhirID(id))")])) }
        func at(_ m: Int, _ location: String?) -> JSONValue { .string(view.clock.rfc3339(m, at: location)) }
        for p in instance.providers {
            let schedule = "schedule-\(p.id)"
            entry("Schedule", schedule, JSONObject([
                "active": .bool(true),
                "actor": .array([ref("Practitioner", p.id)]),
                "planningHorizon": .object(JSONObject(["start": at(instance.horizon.start, nil), "end": at(instance.horizon.end, nil)])),
                "comment": .string("sessions of \(p.id)"),
            ]))
            let mine = view.visits(ofProvider: p.id)
            for s in view.sessions(ofProvider: p.id, within: instance.horizon) {
                var cursor = s.span.start
                for v in mine where s.span.contains(v.span) {
                    if v.span.start > cursor {
                        entry("Slot", "free-\(p.id)-\(cursor)", slot(schedule, "free", at(cursor, s.location), at(v.span.start, s.location), ref))
                    }
                    entry("Slot", "busy-\(p.id)-\(v.request)", slot(schedule, "busy", at(v.span.start, s.location), at(v.span.end, s.location), ref))
                    cursor = max(cursor, v.span.end)
                }
                if cursor < s.span.end {
                    entry("Slot", "free-\(p.id)-\(cursor)", slot(schedule, "free", at(cursor, s.location), at(s.span.end, s.location), ref))
                }
            }
        }
        let byRequest = Dictionary(view.visits.map { ($0.request, $0) }, uniquingKeysWith: { a, _ in a })
        for r in instance.requests {
            var a = JSONObject()
            var participants: [JSONValue] = [.object(JSONObject(["actor": ref("Patient", r.patient), "required": .string("required"),
                                                                  "status": .string("accepted")]))]
            let v = byRequest[r.id]
            a.append("status", .string(v == nil ? "proposed" : "booked"))
            a.append("appointmentType", .object(JSONObject(["coding": .array([.object(JSONObject([
                "system": .string("urn:appointment-optimizer:appointment-type"), "code": .string(r.type),
            ]))])])))
            a.append("priority", .number(Double(r.priority == .urgent ? 1 : r.priority == .soon ? 3 : 5)))
            if let v {
                a.append("start", at(v.span.start, v.location))
                a.append("end", at(v.span.end, v.location))
                a.append("minutesDuration", .number(Double(v.span.duration)))
                a.append("slot", .array(v.providers.map { ref("Slot", "busy-\($0)-\(r.id)") }))
                for p in v.providers {
                    participants.append(.object(JSONObject(["actor": ref("Practitioner", p), "required": .string("required"), "status": .string("accepted")])))
                }
                if let room = v.room {
                    participants.append(.object(JSONObject(["actor": ref("Location", room), "required": .string("required"), "status": .string("accepted")])))
                }
                if v.telehealth { a.append("comment", .string("telehealth")) }
                if let prep = v.prep { a.append("patientInstruction", .string(prep)) }
            } else {
                a.append("requestedPeriod", .array([.object(JSONObject(["start": at(r.earliest, nil), "end": at(r.latest, nil)]))]))
            }
            a.append("created", .string(String(view.clock.rfc3339(r.arrival, at: nil).prefix(10))))
            a.append("participant", .array(participants))
            entry("Appointment", r.id, a)
        }
        return .object(JSONObject(["resourceType": .string("Bundle"), "type": .string("collection"), "entry": .array(entries)]))
    }

    private static func slot(_ schedule: String, _ status: String, _ start: JSONValue, _ end: JSONValue,
                             _ ref: (String, String) -> JSONValue) -> JSONObject {
        JSONObject(["schedule": ref("Schedule", schedule), "status": .string(status), "start": start, "end": end])
    }

    /// An id FHIR accepts (`[A-Za-z0-9\-\.]{1,64}`): other characters become `-`.
    static func fhirID(_ s: String) -> String {
        String(String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "-" }).prefix(64))
    }

    /// A name-based UUID (FNV-1a over the name, twice), stable for the same name.
    static func uuid(_ name: String) -> String {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325, b: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in name.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 7
        }
        let hex = String(format: "%016llx%016llx", a, b)
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-4\(String(c[13..<16]))-a\(String(c[17..<20]))-\(String(c[20..<32]))"
    }

    /// Requests from the `Appointment`s of `document` (a Bundle, or one Appointment) whose status
    /// is `proposed`: id, patient (the `Patient/` participant), type (the first coding of
    /// `appointmentType`), priority (1–2 urgent, 3–4 soon, else routine), window
    /// (`requestedPeriod[0]`), arrival (`created`, else the window's start).
    ///
    /// - Throws: ``FHIRImportError`` naming the resource and the field.
    public static func proposedRequests(_ document: JSONValue, instance: Instance) throws(FHIRImportError) -> [Request] {
        var resources: [JSONObject] = []
        guard case .object(let top) = document else { throw FHIRImportError(resource: "document", message: "expected a JSON object") }
        if case .string("Bundle")? = top["resourceType"] {
            if case .array(let list)? = top["entry"] {
                for case .object(let e) in list { if case .object(let r)? = e["resource"] { resources.append(r) } }
            }
        } else {
            resources = [top]
        }
        var out: [Request] = []
        for r in resources {
            guard case .string("Appointment")? = r["resourceType"], case .string("proposed")? = r["status"] else { continue }
            guard case .string(let id)? = r["id"] else { throw FHIRImportError(resource: "Appointment", message: "missing id") }
            let what = "Appointment/\(id)"
            var patient: String?
            if case .array(let ps)? = r["participant"] {
                for case .object(let p) in ps {
                    if case .object(let actor)? = p["actor"], case .string(let ref)? = actor["reference"], ref.hasPrefix("Patient/") {
                        patient = String(ref.dropFirst("Patient/".count))
                    }
                }
            }
            guard let patient else { throw FHIRImportError(resource: what, message: "participant: no Patient/ actor") }
            guard case .object(let at)? = r["appointmentType"], case .array(let codings)? = at["coding"],
                  case .object(let coding)? = codings.first, case .string(let type)? = coding["code"] else {
                throw FHIRImportError(resource: what, message: "appointmentType.coding[0].code: missing")
            }
            guard case .array(let periods)? = r["requestedPeriod"], case .object(let period)? = periods.first,
                  case .string(let s)? = period["start"], case .string(let e)? = period["end"] else {
                throw FHIRImportError(resource: what, message: "requestedPeriod[0]: start and end are needed")
            }
            func minute(_ text: String, _ field: String) throws(FHIRImportError) -> Int {
                let full = text.count == 10 ? text + "T00:00:00Z" : text
                guard let unix = try? RFC3339.parseUnixSeconds(full), let m = instance.timeline.minute(unixSeconds: unix) else {
                    throw FHIRImportError(resource: what, message: "\(field): \"\(text)\" is not an instant on a whole minute")
                }
                return m
            }
            let earliest = try minute(s, "requestedPeriod[0].start"), latest = try minute(e, "requestedPeriod[0].end")
            var arrival = earliest
            if case .string(let c)? = r["created"] { arrival = try minute(c, "created") }
            var priority = Priority.routine
            if case .number(let p)? = r["priority"] { priority = p <= 2 ? .urgent : p <= 4 ? .soon : .routine }
            out.append(Request(id: id, patient: patient, type: type, priority: priority, earliest: earliest, latest: latest, arrival: arrival))
        }
        return out
    }
}

/// Why a FHIR document could not be read as requests: the resource and the field at fault.
public struct FHIRImportError: Error, Sendable, CustomStringConvertible {
    /// The resource at fault, for example `Appointment/A-17`, or `document` for the whole document.
    public var resource: String
    /// What is wrong, starting with the field's path when one is at fault.
    public var message: String
    /// `resource: message`.
    public var description: String { "\(resource): \(message)" }
}
