import AppointmentModel

/// One visit of a schedule, resolved for people to read: who, where, what it needs.
public struct Visit: Sendable, Hashable {
    /// The request's id.
    public var request: String
    /// The opaque patient id (never a name).
    public var patient: String
    /// The appointment type's id.
    public var type: String
    /// The request's priority.
    public var priority: Priority
    /// One per role, in role order.
    public var providers: [String]
    /// Nil for telehealth.
    public var room: String?
    /// The room's location, or the location of the first provider's shift.
    public var location: String?
    /// The visit `[start, end)` in timeline minutes.
    public var span: TimeSpan
    /// The room interval (setup and cleanup included).
    public var roomSpan: TimeSpan
    /// The equipment the visit needs in its room; empty for telehealth.
    public var equipment: [EquipmentNeed]
    /// The appointment type's preparation instructions for the patient, if any.
    public var prep: String?
    /// Whether the visit is telehealth (no room).
    public var telehealth: Bool
    /// The booking's status when it keeps its existing booking; nil for a new booking.
    public var status: BookingStatus?
}

/// A schedule (an instance and a solution of it) as the outputs read it: visits sorted by start,
/// by provider and by room, and the wall clock of each location. Outputs are pure functions of
/// it: it is never a second source of truth.
public struct ScheduleView: Sendable {
    /// The instance the schedule belongs to.
    public let instance: Instance
    /// The index of `instance`, built once when the view is made.
    public let index: InstanceIndex
    /// The schedule read.
    public let solution: Solution
    /// The wall clocks of the instance's locations, for local dates and times.
    public let clock: LocalClock
    /// Every assigned request's visit, by start, then request id.
    public let visits: [Visit]

    /// - Complexity: O(n log n) in the assignments.
    public init(_ instance: Instance, _ solution: Solution) {
        self.instance = instance
        self.solution = solution
        let index = InstanceIndex(instance)
        self.index = index
        clock = LocalClock(instance)
        var visits: [Visit] = []
        for a in solution.assignments {
            guard let r = index.request[a.request], let t = index.requestType[r] else { continue }
            let request = instance.requests[r]
            let type = instance.appointmentTypes[t]
            let visit = type.visit(at: a.start)
            var location = a.room.flatMap { index.room[$0] }.map { instance.rooms[$0].location }
            if location == nil, let p = a.providers.first.flatMap({ index.provider[$0] }) {
                location = index.shift(of: p, containing: visit)?.location
            }
            let kept = request.current.map { $0.start == a.start && Set($0.providers) == Set(a.providers) } ?? false
            visits.append(Visit(request: a.request, patient: request.patient, type: type.id, priority: request.priority,
                                providers: a.providers, room: a.room, location: location, span: visit,
                                roomSpan: type.roomInterval(at: a.start), equipment: type.isInPerson ? type.equipment : [],
                                prep: type.prep, telehealth: !type.isInPerson, status: kept ? request.current?.status : nil))
        }
        self.visits = visits.sorted { ($0.span.start, $0.request) < ($1.span.start, $1.request) }
    }

    /// The visits of provider `id`, by start.
    public func visits(ofProvider id: String) -> [Visit] { visits.filter { $0.providers.contains(id) } }

    /// The visits in room `id`, by start.
    public func visits(inRoom id: String) -> [Visit] { visits.filter { $0.room == id } }

    /// Provider `id`'s sessions (shifts minus blocks) that meet `span`, with their locations.
    public func sessions(ofProvider id: String, within span: TimeSpan) -> [Session] {
        guard let p = index.provider[id] else { return [] }
        return index.sessions[p].filter { $0.span.overlaps(span) }
    }

    /// Idle gaps of provider `id` inside `span`: between two consecutive visits of one session.
    public func idleGaps(ofProvider id: String, within span: TimeSpan) -> [TimeSpan] {
        var out: [TimeSpan] = []
        let mine = visits(ofProvider: id)
        for session in sessions(ofProvider: id, within: span) {
            let inside = mine.filter { session.span.contains($0.span) }
            for (a, b) in zip(inside, inside.dropFirst()) where b.span.start > a.span.end {
                let gap = TimeSpan(start: a.span.end, end: b.span.start)
                if gap.overlaps(span) { out.append(gap) }
            }
        }
        return out
    }

    /// The location whose calendar a provider's day is read on: the location of their first
    /// session that day, else the instance's first location.
    public func location(ofProvider id: String, on span: TimeSpan) -> String? {
        sessions(ofProvider: id, within: span).first?.location ?? instance.locations.first?.id
    }
}
