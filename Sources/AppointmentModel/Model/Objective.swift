/// A value for each priority.
public struct PerPriority<Value: Sendable & Hashable>: Sendable, Hashable {
    public var urgent: Value
    public var soon: Value
    public var routine: Value

    public init(urgent: Value, soon: Value, routine: Value) {
        self.urgent = urgent
        self.soon = soon
        self.routine = routine
    }

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
    public var confirmed: Value
    public var tentative: Value

    public init(confirmed: Value, tentative: Value) {
        self.confirmed = confirmed
        self.tentative = tentative
    }

    public subscript(status: BookingStatus) -> Value {
        get { status == .confirmed ? confirmed : tentative }
        set { if status == .confirmed { confirmed = newValue } else { tentative = newValue } }
    }
}

/// The weights of the cost (see ``CostEvaluator`` for the formula).
public struct Objective: Sendable, Hashable {
    public var unscheduledPenalty: PerPriority<Double>
    public var idleMinuteCost: Double
    public var leadCostPerDay: PerPriority<Double>
    public var preferenceMissCost: Double
    public var moveCost: PerStatus<Double>

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
