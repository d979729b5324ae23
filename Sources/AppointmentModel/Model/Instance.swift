/// A whole scheduling problem: resources, appointment types, requests, existing bookings, weights.
///
/// All times are minutes on ``timeline`` (0 is the horizon start). Ids are plain strings as in the
/// exchange format; ``InstanceIndex`` resolves them to dense indices for the algorithms.
public struct Instance: Sendable, Hashable {
    public var name: String
    public var timeline: Timeline
    /// The horizon, `[0, length)` on the timeline.
    public var horizon: TimeSpan
    /// Every start is `horizon.start + k × granularityMinutes`.
    public var granularityMinutes: Int
    public var locations: [Location]
    public var rooms: [Room]
    public var equipment: [EquipmentPool]
    public var providers: [Provider]
    public var appointmentTypes: [AppointmentType]
    public var requests: [Request]
    public var objective: Objective
    /// The format version the instance was read as (1 or 2). Version 1 has no decision time, holds
    /// or authorizations, and rule 13 is not checked; the writer writes version 2 when any
    /// version-2 field is set.
    public var formatVersion: Int
    /// When the schedule is decided (format 2 `asOf`); nil means the horizon start.
    public var asOf: Int?
    /// Provider time kept for some priorities (format 2).
    public var holds: [Hold]

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
