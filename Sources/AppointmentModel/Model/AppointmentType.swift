/// One provider slot of an appointment type: whoever fills it holds all of `skills`.
public struct Role: Sendable, Hashable {
    /// The skills that the provider filling this role must all hold.
    public var skills: [String]

    /// Creates a role from its skills.
    public init(skills: [String]) { self.skills = skills }
}

/// Units of an equipment kind an appointment holds for its whole room interval.
public struct EquipmentNeed: Sendable, Hashable {
    /// The equipment kind, matched against ``EquipmentPool/kind``.
    public var kind: String
    /// Units of that kind held.
    public var quantity: Int

    /// Creates an equipment need from its parts.
    public init(kind: String, quantity: Int) {
        self.kind = kind
        self.quantity = quantity
    }
}

/// What a kind of visit needs: providers by role, a room kind, equipment, setup and cleanup.
///
/// In person exactly when `roomKinds` is non-empty; then the room (and its equipment) is held
/// for the *room interval* `[start − setup, end + cleanup)`. Telehealth types have no room.
public struct AppointmentType: Sendable, Hashable, Identifiable {
    /// The type's id, which ``Request/type`` refers to.
    public var id: String
    /// Length of the visit in minutes.
    public var durationMinutes: Int
    /// The provider slots in role order; a distinct provider fills each.
    public var roles: [Role]
    /// Room kinds the visit may use (any one of them); empty for telehealth.
    public var roomKinds: [String]
    /// Equipment held for the whole room interval, from pools at the room's location.
    public var equipment: [EquipmentNeed]
    /// Minutes the room is held before the visit starts.
    public var setupMinutes: Int
    /// Minutes the room is held after the visit ends.
    public var cleanupMinutes: Int
    /// Whether the visit is remote; in a valid instance, exactly when `roomKinds` is empty.
    public var telehealth: Bool
    /// Preparation instructions for the patient (format 2; text, no patient data).
    public var prep: String?
    /// Minutes before the start at which reminders go out, e.g. `[4320, 1440]` (format 2).
    public var reminderMinutesBefore: [Int]?

    /// Creates an appointment type from its parts; `telehealth` defaults to whether `roomKinds` is empty.
    public init(id: String, durationMinutes: Int, roles: [Role], roomKinds: [String],
                equipment: [EquipmentNeed] = [], setupMinutes: Int = 0, cleanupMinutes: Int = 0,
                telehealth: Bool? = nil, prep: String? = nil, reminderMinutesBefore: [Int]? = nil) {
        self.prep = prep
        self.reminderMinutesBefore = reminderMinutesBefore
        self.id = id
        self.durationMinutes = durationMinutes
        self.roles = roles
        self.roomKinds = roomKinds
        self.equipment = equipment
        self.setupMinutes = setupMinutes
        self.cleanupMinutes = cleanupMinutes
        self.telehealth = telehealth ?? roomKinds.isEmpty
    }

    /// Whether the visit needs a room: `roomKinds` is non-empty.
    public var isInPerson: Bool { !roomKinds.isEmpty }

    /// The visit `[start, start + duration)`.
    @inline(__always)
    public func visit(at start: Int) -> TimeSpan { TimeSpan(start: start, end: start + durationMinutes) }

    /// The room interval `[start − setup, start + duration + cleanup)`.
    @inline(__always)
    public func roomInterval(at start: Int) -> TimeSpan {
        TimeSpan(start: start - setupMinutes, end: start + durationMinutes + cleanupMinutes)
    }
}
