/// The spec's cost and its five parts, with the counts behind them.
public struct CostBreakdown: Sendable, Hashable {
    /// Σ over unscheduled requests of `unscheduledPenalty[priority]`.
    public var unscheduled: Double = 0
    /// `idleMinuteCost` × Σ over provider sessions of idle minutes.
    public var idle: Double = 0
    /// Σ over assigned requests of `leadCostPerDay[priority] × (start − earliest) / 1440`.
    public var lead: Double = 0
    /// `preferenceMissCost` × assigned requests with preferred providers, none of them assigned.
    public var preference: Double = 0
    /// Σ over moved existing bookings of `moveCost[status]`.
    public var moves: Double = 0

    /// The number of unscheduled requests of each priority.
    public var unscheduledByPriority = PerPriority(urgent: 0, soon: 0, routine: 0)
    /// Idle minutes summed over all provider sessions (what `idle` prices).
    public var idleMinutes = 0
    /// The number of assigned requests with preferred providers, none of them assigned.
    public var preferenceMisses = 0
    /// The number of moved existing bookings of each status.
    public var moved = PerStatus(confirmed: 0, tentative: 0)

    /// Creates an empty breakdown: every cost and every count is zero.
    public init() {}

    /// The total cost to minimise.
    public var total: Double { unscheduled + idle + lead + preference + moves }
}
