import AppointmentModel

/// The messages due in a window, as data for whatever sends them (SMS, e-mail, a portal): each
/// with its request, the patient's opaque id, a channel-neutral template key, when it is due and
/// the visit it is about.
///
/// - `confirmation`: a visit booked since `previous` (or every new booking without one), due at
///   the decision time;
/// - `reminder.<minutes>`: one per `reminderMinutesBefore` of the visit's type, due that many
///   minutes before the start;
/// - `prep`: the type's preparation instructions, due with the earliest reminder (or the
///   confirmation when the type has no reminders);
/// - `moved`: a visit whose start, providers or room changed since `previous`, due at the
///   decision time;
/// - `cancelled`: a visit of `previous` that is gone, due at the decision time.
public struct OutreachMessage: Sendable, Hashable {
    /// The request the message is about.
    public var request: String
    /// The patient's opaque id (never a name).
    public var patient: String
    /// The channel-neutral template key: `confirmation`, `reminder.<minutes>`, `prep`, `moved` or `cancelled`.
    public var template: String
    /// Timeline minute the message is due.
    public var due: Int
    /// The visit's start (for `cancelled`, the start it had).
    public var visitStart: Int
    /// The visit's location, whose offset the instants are written in; nil when unknown.
    public var location: String?
}

/// Plans the messages patients should receive about a schedule, and writes them as JSON.
public enum Outreach {
    /// The messages due in `[from, to)` (timeline minutes), by due time.
    public static func plan(_ view: ScheduleView, previous: ScheduleView? = nil, from: Int, to: Int) -> [OutreachMessage] {
        let now = view.instance.decisionTime
        let before = Dictionary((previous?.visits ?? []).map { ($0.request, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [OutreachMessage] = []
        func add(_ v: Visit, _ template: String, _ due: Int) {
            guard due >= from, due < to else { return }
            out.append(OutreachMessage(request: v.request, patient: v.patient, template: template, due: due, visitStart: v.span.start,
                                       location: v.location))
        }
        for v in view.visits {
            let type = view.index.type[v.type].map { view.instance.appointmentTypes[$0] }
            let reminders = (type?.reminderMinutesBefore ?? []).sorted(by: >)
            let isNew = previous == nil ? v.status == nil : before[v.request] == nil
            if isNew { add(v, "confirmation", now) }
            if let old = before[v.request], old.span != v.span || old.providers != v.providers || old.room != v.room {
                add(v, "moved", now)
            }
            for m in reminders where v.span.start - m > now { add(v, "reminder.\(m)", v.span.start - m) }
            if v.prep != nil {
                let due = reminders.map { v.span.start - $0 }.first(where: { $0 > now }) ?? now
                if isNew || due > now { add(v, "prep", due) }
            }
        }
        let kept = Set(view.visits.map(\.request))
        for v in previous?.visits ?? [] where !kept.contains(v.request) { add(v, "cancelled", now) }
        return out.sorted { ($0.due, $0.request, $0.template) < ($1.due, $1.request, $1.template) }
    }

    /// The plan as JSON: one object per message, instants in the visit's location's offset.
    public static func json(_ messages: [OutreachMessage], view: ScheduleView) -> JSONValue {
        .array(messages.map { m in
            .object(JSONObject([
                "request": .string(m.request), "patient": .string(m.patient), "template": .string(m.template),
                "due": .string(view.clock.rfc3339(m.due, at: m.location)),
                "visitStart": .string(view.clock.rfc3339(m.visitStart, at: m.location)),
            ]))
        })
    }
}
