/// A whole scheduling problem: resources, appointment types, requests, existing bookings, weights.
///
/// All times are minutes on ``timeline`` (0 is the horizon start). Ids are plain strings as in the
/// exchange format; ``InstanceIndex`` resolves them to dense indices for the algorithms.
public struct Instance: Sendable, Hashable {
    /// The instance's name; a solution names it in its `instance` field (rule 1).
    public var name: String
    /// Maps timeline minutes to absolute instants.
    public var timeline: Timeline
    /// The horizon, `[0, length)` on the timeline.
    public var horizon: TimeSpan
    /// Every start is `horizon.start + k × granularityMinutes`.
    public var granularityMinutes: Int
    /// The sites, each with its time zone.
    public var locations: [Location]
    /// The rooms of all locations.
    public var rooms: [Room]
    /// The equipment pools, at most one per kind and location.
    public var equipment: [EquipmentPool]
    /// The people who fill roles.
    public var providers: [Provider]
    /// The kinds of visit that requests refer to.
    public var appointmentTypes: [AppointmentType]
    /// The requests to schedule, in document order (which breaks arrival ties in the replay).
    public var requests: [Request]
    /// The weights of the cost.
    public var objective: Objective
    /// The format version the instance was read as (1 or 2). Version 1 has no decision time, holds
    /// or authorizations, and rule 13 is not checked; the writer writes version 2 when any
    /// version-2 field is set.
    public var formatVersion: Int
    /// When the schedule is decided (format 2 `asOf`); nil means the horizon start.
    public var asOf: Int?
    /// Provider time kept for some priorities (format 2).
    public var holds: [Hold]

    /// Creates an instance from its parts (format version 1 unless told otherwise).
    public init(name: String, timeline: Timeline, horizon: TimeSpan, granularityMinutes: Int,
                locations: [Location], rooms: [Room], equipment: [EquipmentPool], providers: [Provider],
                appointmentTypes: [AppointmentType], requests: [Request], objective: Objective,
                formatVersion: Int = 1, asOf: Int? = nil, holds: [Hold] = []) {
        self.formatVersion = formatVersion
        self.asOf = asOf
        self.holds = holds
        self.name = name
        self.timeline = timeline
        self.horizon = horizon
        self.granularityMinutes = granularityMinutes
        self.locations = locations
        self.rooms = rooms
        self.equipment = equipment
        self.providers = providers
        self.appointmentTypes = appointmentTypes
        self.requests = requests
        self.objective = objective
    }

    /// The decision time of new bookings: `asOf`, or the horizon start.
    public var decisionTime: Int { asOf ?? horizon.start }

    /// Whether rules 11–13 apply (a version-2 instance).
    public var usesVersion2Rules: Bool { formatVersion >= 2 }
}
