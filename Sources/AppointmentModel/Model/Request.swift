/// How soon a request must be seen; orders penalties and lead costs.
public enum Priority: String, Sendable, Hashable, CaseIterable, Codable {
    case urgent, soon, routine
}

/// Whether an existing booking has been confirmed with the patient.
public enum BookingStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case confirmed, tentative
}

/// How the members of a group (a family, a care team visit) are placed together.
public enum GroupMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// All members start at the same instant.
    case sameStart
    /// Members in `order`; each starts within `maxGapMinutes` after the previous one ends.
    case sequence
}

/// Membership of a request in a group that is booked whole or not at all.
public struct GroupMembership: Sendable, Hashable {
    /// The group's id, shared by all its members.
    public var id: String
    /// How the members are placed together; the same for every member.
    public var mode: GroupMode
    /// The member's place in a sequence group (lower first); distinct among sequence members.
    public var order: Double
    /// In a sequence group, the most minutes from one visit's end to the next visit's start.
    public var maxGapMinutes: Int

    /// Creates a group membership from its parts.
    public init(id: String, mode: GroupMode, order: Double = 0, maxGapMinutes: Int = 0) {
        self.id = id
        self.mode = mode
        self.order = order
        self.maxGapMinutes = maxGapMinutes
    }
}

/// A care-plan link: this visit follows `request`, start to start within `[min, max]` minutes.
public struct SeriesLink: Sendable, Hashable {
    /// The id of the predecessor; this request may be assigned only when it is.
    public var request: String
    /// The fewest minutes from the predecessor's start to this start.
    public var minGapMinutes: Int
    /// The most minutes from the predecessor's start to this start.
    public var maxGapMinutes: Int

    /// Creates a series link from its parts.
    public init(request: String, minGapMinutes: Int, maxGapMinutes: Int) {
        self.request = request
        self.minGapMinutes = minGapMinutes
        self.maxGapMinutes = maxGapMinutes
    }
}

/// A booking that exists before scheduling; it must stay assigned, and stay put when pinned.
public struct ExistingBooking: Sendable, Hashable {
    /// One provider per role, in role order.
    public var providers: [String]
    /// Nil for telehealth.
    public var room: String?
    /// Timeline minute of the booked visit's start.
    public var start: Int
    /// Whether the patient has confirmed the booking; sets the cost of moving it.
    public var status: BookingStatus
    /// Whether the booking must keep exactly its start, providers and room (rule 10).
    public var pinned: Bool

    /// Creates an existing booking from its parts.
    public init(providers: [String], room: String?, start: Int, status: BookingStatus, pinned: Bool = false) {
        self.providers = providers
        self.room = room
        self.start = start
        self.status = status
        self.pinned = pinned
    }
}

/// A request for one visit by one patient. `patient` is an opaque id, never a name.
public struct Request: Sendable, Hashable, Identifiable {
    /// The request's id.
    public var id: String
    /// The patient's opaque id; one patient's visits may not overlap.
    public var patient: String
    /// The id of the request's appointment type.
    public var type: String
    /// How soon the patient must be seen; sets the unscheduled penalty and the lead cost.
    public var priority: Priority
    /// The start must lie in `[earliest, latest]`, both inclusive (timeline minutes).
    public var earliest: Int
    /// The last allowed start (inclusive).
    public var latest: Int
    /// When the request reached the clinic; orders the online replay.
    public var arrival: Int
    /// Allowed locations of an in-person visit; nil means any.
    public var locations: [String]?
    /// Allowed providers for every role; nil means any qualified provider.
    public var providers: [String]?
    /// Soft: a schedule that uses none of them pays `preferenceMissCost`.
    public var preferredProviders: [String]?
    /// The visit must lie inside one of these; nil means always available.
    public var patientAvailability: [TimeSpan]?
    /// The group the request belongs to, if any.
    public var group: GroupMembership?
    /// The request this visit follows in a care plan, if any.
    public var after: SeriesLink?
    /// The booking that exists before scheduling, if any.
    public var current: ExistingBooking?
    /// The insurer's authorization (format 2); nil means none is needed.
    public var authorization: Authorization?

    /// Creates a request from its parts.
    public init(id: String, patient: String, type: String, priority: Priority, earliest: Int, latest: Int,
                arrival: Int, locations: [String]? = nil, providers: [String]? = nil,
                preferredProviders: [String]? = nil, patientAvailability: [TimeSpan]? = nil,
                group: GroupMembership? = nil, after: SeriesLink? = nil, current: ExistingBooking? = nil,
                authorization: Authorization? = nil) {
        self.authorization = authorization
        self.id = id
        self.patient = patient
        self.type = type
        self.priority = priority
        self.earliest = earliest
        self.latest = latest
        self.arrival = arrival
        self.locations = locations
        self.providers = providers
        self.preferredProviders = preferredProviders
        self.patientAvailability = patientAvailability
        self.group = group
        self.after = after
        self.current = current
    }
}
