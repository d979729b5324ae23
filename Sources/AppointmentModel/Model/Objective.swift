/// A value for each priority.
public struct PerPriority<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value for urgent requests.
    public var urgent: Value
    /// The value for soon requests.
    public var soon: Value
    /// The value for routine requests.
    public var routine: Value

    /// Creates a value per priority from its parts.
    public init(urgent: Value, soon: Value, routine: Value) {
        self.urgent = urgent
        self.soon = soon
        self.routine = routine
    }

    /// The value for `priority`.
    public subscript(priority: Priority) -> Value {
        get {
            switch priority {
            case .urgent: urgent
            case .soon: soon
            case .routine: routine
            }
        }
        set {
            switch priority {
            case .urgent: urgent = newValue
            case .soon: soon = newValue
            case .routine: routine = newValue
            }
        }
    }
}

/// A value for each booking status.
public struct PerStatus<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value for confirmed bookings.
    public var confirmed: Value
    /// The value for tentative bookings.
    public var tentative: Value

    /// Creates a value per status from its parts.
    public init(confirmed: Value, tentative: Value) {
        self.confirmed = confirmed
        self.tentative = tentative
    }

    /// The value for `status`.
    public subscript(status: BookingStatus) -> Value {
        get { status == .confirmed ? confirmed : tentative }
        set { if status == .confirmed { confirmed = newValue } else { tentative = newValue } }
    }
}

/// The weights of the cost (see ``CostEvaluator`` for the formula).
public struct Objective: Sendable, Hashable {
    /// Cost of leaving a request unscheduled, by priority.
    public var unscheduledPenalty: PerPriority<Double>
    /// Cost of one idle minute inside a provider session.
    public var idleMinuteCost: Double
    /// Cost per day (1,440 minutes) from a request's `earliest` to its start, by priority.
    public var leadCostPerDay: PerPriority<Double>
    /// Cost of an assigned request with preferred providers when none of them is assigned.
    public var preferenceMissCost: Double
    /// Cost of moving an existing booking (a new start or provider set), by its status.
    public var moveCost: PerStatus<Double>

    /// Creates an objective from its weights.
    public init(unscheduledPenalty: PerPriority<Double>, idleMinuteCost: Double,
                leadCostPerDay: PerPriority<Double>, preferenceMissCost: Double,
                moveCost: PerStatus<Double>) {
        self.unscheduledPenalty = unscheduledPenalty
        self.idleMinuteCost = idleMinuteCost
        self.leadCostPerDay = leadCostPerDay
        self.preferenceMissCost = preferenceMissCost
        self.moveCost = moveCost
    }
}
