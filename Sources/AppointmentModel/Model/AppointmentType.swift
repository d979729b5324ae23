/// One provider slot of an appointment type: whoever fills it holds all of `skills`.
public struct Role: Sendable, Hashable {
    public var skills: [String]

    public init(skills: [String]) { self.skills = skills }
}

/// Units of an equipment kind an appointment holds for its whole room interval.
public struct EquipmentNeed: Sendable, Hashable {
    public var kind: String
    public var quantity: Int

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
    public var id: String
    public var durationMinutes: Int
    public var roles: [Role]
    public var roomKinds: [String]
    public var equipment: [EquipmentNeed]
    public var setupMinutes: Int
    public var cleanupMinutes: Int
    public var telehealth: Bool
    /// Preparation instructions for the patient (format 2; text, no patient data).
    public var prep: String?
    /// Minutes before the start at which reminders go out, e.g. `[4320, 1440]` (format 2).
    public var reminderMinutesBefore: [Int]?

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
