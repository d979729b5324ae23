import AppointmentModel

/// The coordinators' CSV reports: the day's schedule, the cancellations, the waiting list.
public enum Reports {
    /// Every visit (of local `date` at its location, when given), one row each.
    public static func schedule(_ view: ScheduleView, date: LocalDate? = nil) -> String {
        var rows = [["date", "start", "end", "time_zone", "request", "patient", "type", "priority", "providers", "room", "location",
                     "telehealth", "status", "start_instant"]]
        for v in view.visits {
            let start = view.clock.local(v.span.start, at: v.location), end = view.clock.local(v.span.end, at: v.location)
            if let date, start.date != date { continue }
            rows.append([start.date.description, start.time, end.time, view.clock.zoneName(v.location), v.request, v.patient, v.type,
                         v.priority.rawValue, v.providers.joined(separator: " "), v.room ?? "", v.location ?? "",
                         v.telehealth ? "yes" : "no", v.status?.rawValue ?? "new", view.clock.rfc3339(v.span.start, at: v.location)])
        }
        return CSV.write(rows)
    }

    /// Visits of `previous` that `view` no longer has: cancelled by the patient (the request left)
    /// or taken off the schedule (the request waits again).
    public static func cancellations(_ view: ScheduleView, previous: ScheduleView) -> String {
        var rows = [["request", "patient", "type", "priority", "was_start", "was_providers", "was_room", "what"]]
        let now = Set(view.visits.map(\.request))
        let present = Set(view.instance.requests.map(\.id))
        for v in previous.visits where !now.contains(v.request) {
            rows.append([v.request, v.patient, v.type, v.priority.rawValue, previous.clock.rfc3339(v.span.start, at: v.location),
                         v.providers.joined(separator: " "), v.room ?? "",
                         present.contains(v.request) ? "unbooked (waiting again)" : "cancelled (left the clinic)"])
        }
        return CSV.write(rows)
    }

    /// The waiting list, highest penalty first, then by arrival: priority, waiting since, window,
    /// authorization, and why it waits.
    public static func waitingList(_ view: ScheduleView) -> String {
        var rows = [["request", "patient", "type", "priority", "waiting_since", "earliest", "latest", "authorization", "valid_from",
                     "valid_until", "group", "after", "reason"]]
        let booked = Set(view.visits.map(\.request))
        let reasons = Dictionary(view.solution.unscheduled.map { ($0.request, $0.reason) }, uniquingKeysWith: { a, _ in a })
        let penalty = view.instance.objective.unscheduledPenalty
        let waiting = view.instance.requests.filter { !booked.contains($0.id) }
            .sorted { (-penalty[$0.priority], $0.arrival, $0.id) < (-penalty[$1.priority], $1.arrival, $1.id) }
        let at = { (m: Int) in view.clock.rfc3339(m, at: nil) }
        for r in waiting {
            let a = r.authorization
            rows.append([r.id, r.patient, r.type, r.priority.rawValue, at(r.arrival), at(r.earliest), at(r.latest),
                         a?.status.rawValue ?? "not needed", a?.validFrom.map(at) ?? "", a?.validUntil.map(at) ?? "",
                         r.group?.id ?? "", r.after?.request ?? "", reasons[r.id] ?? "not booked"])
        }
        return CSV.write(rows)
    }
}
