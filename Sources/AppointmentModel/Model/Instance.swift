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

    public init(name: String, timeline: Timeline, horizon: TimeSpan, granularityMinutes: Int,
                locations: [Location], rooms: [Room], equipment: [EquipmentPool], providers: [Provider],
                appointmentTypes: [AppointmentType], requests: [Request], objective: Objective) {
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
}
