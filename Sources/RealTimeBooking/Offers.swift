import AppointmentModel


/// What an offer adds to the spec's cost, part by part.
public struct MarginalCost: Sendable, Hashable {
    /// `leadCostPerDay[priority] × (start − earliest) / 1440`, summed over the placements.
    public var lead: Double = 0
    /// Idle minutes added (positive) or removed (negative) in the providers' sessions.
    public var idleMinutes: Int = 0
    /// `idleMinuteCost × idleMinutes`.
    public var idle: Double = 0
    /// Placements whose request has preferred providers and gets none of them.
    public var preferenceMisses: Int = 0
    /// `preferenceMissCost × preferenceMisses`.
    public var preference: Double = 0
    /// Move cost when an existing booking would change start or providers.
    public var moves: Double = 0
    /// Not a cost of the spec: free room minutes the offer leaves on either side of its room
    /// interval that are too short for any visit needing that room. Fragmented rooms refuse
    /// later requests; a ranking policy may weigh this.
    public var roomWasteMinutes: Int = 0
    /// `idleMinuteCost × roomWasteMinutes`, excluded from `total`.
    public var roomWaste: Double = 0

    /// A zero cost.
    public init() {}

    /// The spec's marginal cost (room waste excluded).
    public var total: Double { lead + idle + preference + moves }

    static func + (a: MarginalCost, b: MarginalCost) -> MarginalCost {
        var c = MarginalCost()
        c.lead = a.lead + b.lead
        c.idleMinutes = a.idleMinutes + b.idleMinutes
        c.idle = a.idle + b.idle
        c.preferenceMisses = a.preferenceMisses + b.preferenceMisses
        c.preference = a.preference + b.preference
        c.moves = a.moves + b.moves
        c.roomWasteMinutes = a.roomWasteMinutes + b.roomWasteMinutes
        c.roomWaste = a.roomWaste + b.roomWaste
        return c
    }
}

/// A bookable option: every placement it needs (several for a group), and what it costs.
public struct Offer: Sendable, Hashable {
    /// One placement per request booked: the request alone, or every member of its group.
    public var placements: [Placement]
    /// What booking the offer adds to the spec's cost, part by part (summed over the placements).
    public var cost: MarginalCost
    /// The ranking policy's score (smaller is better).
    public var score: Double

    /// An offer built by hand (for example from a coordinator's choice); `book` checks it fully.
    public init(placements: [Placement], cost: MarginalCost = MarginalCost(), score: Double = 0) {
        self.placements = placements
        self.cost = cost
        self.score = score
    }

    /// The earliest start among the placements.
    public var start: Int { placements.map(\.start).min() ?? 0 }
}

/// What a caller asks of an offer search.
public struct OfferQuery: Sendable, Hashable {
    /// Offers wanted, at most.
    public var limit: Int
    /// Distinct starts per free gap of a provider's session: the first that fits, then the next
    /// ones on the grid (1: one per gap, the cheapest; more give a patient a choice of times).
    public var startsPerGap: Int
    /// No offer starts before this timeline minute (a patient who is free only later).
    public var notBefore: Int?
    /// Leave out the request's current booking: offers to move it elsewhere (another start or
    /// other providers; a change of room alone is not another slot).
    public var excludingCurrent: Bool

    /// Creates a query; a `startsPerGap` below 1 counts as 1.
    public init(limit: Int = 5, startsPerGap: Int = 1, notBefore: Int? = nil, excludingCurrent: Bool = false) {
        self.limit = limit
        self.startsPerGap = max(startsPerGap, 1)
        self.notBefore = notBefore
        self.excludingCurrent = excludingCurrent
    }
}

/// Orders offers; smaller scores are better. Ties break on the start, then provider and room
/// ids, so the same state always gives the same offers.
public protocol RankingPolicy: Sendable {
    var name: String { get }
    /// The score of an offer for one request (or one group member).
    func score(cost: MarginalCost, start: Int) -> Double
    /// A lower bound of `score` over every offer starting at or after `start` whose idle change
    /// is at least `bestIdleChange` (in cost units). Return `-.infinity` when there is none: the
    /// search then scans every candidate.
    func lowerBound(lead: Double, bestIdleChange: Double, start: Int) -> Double
}

/// Minimise the marginal cost the spec defines: lead, idle minutes added or removed, preference
/// misses. Offers pack sessions instead of scattering visits.
///
/// Room minutes left too short for any visit weigh `roomWasteWeight` idle minutes each (0.5 by
/// default): it keeps rooms in long free runs for later requests. The weight was chosen on the
/// public instances' replays (see `Docs/real-time-booking.md`); 0 ranks by the spec's cost alone.
public struct BestFit: RankingPolicy {
    /// Idle minutes that one stranded room minute weighs; never negative.
    public var roomWasteWeight: Double
    /// Creates the policy; a negative weight counts as 0.
    public init(roomWasteWeight: Double = 0.5) { self.roomWasteWeight = max(roomWasteWeight, 0) }
    /// `best-fit`.
    public var name: String { "best-fit" }
    /// The spec's marginal cost plus `roomWasteWeight` times the cost of the stranded room minutes.
    public func score(cost: MarginalCost, start: Int) -> Double { cost.total + roomWasteWeight * cost.roomWaste }
    /// `lead + bestIdleChange`: preference misses, moves and room waste only add to the score.
    public func lowerBound(lead: Double, bestIdleChange: Double, start: Int) -> Double { lead + bestIdleChange }
}

/// The earliest start first (marginal cost breaks ties): what a plain first-available search does.
public struct EarliestFirst: RankingPolicy {
    /// Creates the policy.
    public init() {}
    /// `earliest`.
    public var name: String { "earliest" }
    /// `start × 1 000 000 + cost.total`: the earlier start wins and the marginal cost breaks ties.
    public func score(cost: MarginalCost, start: Int) -> Double { Double(start) * 1_000_000 + cost.total }
    /// `start × 1 000 000 − 1 000 000`: below the score of any offer starting at or after `start`
    /// whose marginal cost is above −1 000 000.
    public func lowerBound(lead: Double, bestIdleChange: Double, start: Int) -> Double {
        Double(start) * 1_000_000 - 1_000_000
    }
}

/// Why no offer exists, as data: each blocking reason with the number of candidates it blocked.
public struct Explanation: Sendable, Hashable, CustomStringConvertible {
    /// A rule that blocked a candidate; the raw value is the reason in words.
    public enum Reason: String, Sendable, Hashable, CaseIterable, Comparable {
        /// No request has the id asked about.
        case unknownRequest = "unknown request"
        /// The request's window, or the candidate start, does not meet the horizon (or is off the grid).
        case windowOutsideHorizon = "the request's window does not meet the horizon"
        /// No provider has the skills for a role, or none is among the request's allowed providers.
        case noQualifiedProvider = "no qualified provider (skills, allowed providers)"
        /// No qualified provider has a session in the window at an allowed location.
        case noSessionInWindow = "no provider session in the window at an allowed location"
        /// The first role's provider has no free gap long enough in the session, or is busy at the candidate time.
        case sessionsFull = "every session full at the candidate times"
        /// No qualified provider for another role is in session and free at the same time and location.
        case noSecondProvider = "no second provider free for a multi-role visit"
        /// No room of a fitting kind is open and free for the room interval.
        case noRoom = "no room of a fitting kind open and free"
        /// An equipment pool has too few free units during the room interval, or none is at the room's location.
        case equipmentExhausted = "equipment exhausted"
        /// The visit falls outside the patient's availability.
        case outsidePatientAvailability = "outside the patient's availability"
        /// The patient has another visit that overlaps.
        case patientBusy = "the patient has another visit then"
        /// The request follows another in a series, and that one is not booked.
        case predecessorNotBooked = "the series predecessor is not booked"
        /// A candidate for the group's first member could not be completed for every member.
        case groupIncomplete = "the group cannot be placed whole"
        /// The request is booked already.
        case alreadyBooked = "already booked"
        /// Rule 11: the request's authorization is not approved, or does not cover the visit.
        case notAuthorized = "the request's authorization is not approved, or does not cover the time"
        /// Rule 12: the provider's time is held for other priorities and not released yet.
        case held = "the time is held for other priorities"
        /// Rule 13: the start is before the decision time.
        case inThePast = "the time is in the past"

        /// Orders reasons by their text, so ties in ``Explanation/main`` break the same way every time.
        public static func < (a: Reason, b: Reason) -> Bool { a.rawValue < b.rawValue }

        var ordinal: Int {
            switch self {
            case .unknownRequest: 0
            case .windowOutsideHorizon: 1
            case .noQualifiedProvider: 2
            case .noSessionInWindow: 3
            case .sessionsFull: 4
            case .noSecondProvider: 5
            case .noRoom: 6
            case .equipmentExhausted: 7
            case .outsidePatientAvailability: 8
            case .patientBusy: 9
            case .predecessorNotBooked: 10
            case .groupIncomplete: 11
            case .alreadyBooked: 12
            case .notAuthorized: 13
            case .held: 14
            case .inThePast: 15
            }
        }
    }

    /// Per reason, the number of candidates it blocked first; reasons that blocked none are absent.
    public var counts: [Reason: Int]

    /// Creates an explanation from counts.
    public init(counts: [Reason: Int] = [:]) { self.counts = counts }

    /// The reason that blocked the most candidates.
    public var main: Reason? {
        counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    init(_ tally: Tally) {
        counts = [:]
        for (i, reason) in Reason.allCases.enumerated() where tally.counts[i] > 0 { counts[reason] = tally.counts[i] }
    }

    /// Counts kept in a flat array while searching (a dictionary update per failed candidate
    /// would cost more than the candidate check).
    struct Tally {
        var counts = [Int](repeating: 0, count: Reason.allCases.count)
        var isEmpty: Bool { !counts.contains { $0 > 0 } }

        @inline(__always)
        mutating func add(_ reason: Reason) { counts[reason.ordinal] += 1 }
    }

    /// Every reason with its count, the commonest first: `reason: count; …`.
    public var description: String {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key.rawValue): \($0.value)" }
            .joined(separator: "; ")
    }
}

/// The answer to "what can you offer?": ranked offers, or why there are none.
public struct OfferResult: Sendable, Hashable {
    /// The offers, best first; at most the limit asked for, and empty when there is none.
    public var offers: [Offer]
    /// Set when `offers` is empty.
    public var explanation: Explanation?
}

/// A resource named in a conflict.
public enum Resource: Sendable, Hashable, CustomStringConvertible {
    /// A provider, by id.
    case provider(String)
    /// A room, by id.
    case room(String)
    /// An equipment pool, by id.
    case equipment(String)
    /// A patient, by id.
    case patient(String)

    /// The kind of resource and its id, for example `room R-3`.
    public var description: String {
        switch self {
        case .provider(let id): "provider \(id)"
        case .room(let id): "room \(id)"
        case .equipment(let id): "equipment pool \(id)"
        case .patient(let id): "patient \(id)"
        }
    }
}

/// Why a booking, cancellation or move was refused. Nothing was changed.
public enum BookingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No request has this id.
    case unknownRequest(String)
    /// No provider or room has this id.
    case unknownResource(String)
    /// The resource is already taken during the span (a room's span includes setup and cleanup).
    case slotTaken(Resource, TimeSpan)
    /// The resource is not available during the span: no session, room closed, or outside the patient's availability.
    case resourceClosed(Resource, TimeSpan)
    /// The pool has too few free units during the span.
    case equipmentExhausted(pool: String, TimeSpan)
    /// The provider lacks the skills for the role, or is not among the request's allowed providers.
    case notQualified(request: String, provider: String)
    /// The placement breaks a rule stated in `reason` (window, grid, room, group or series gap, …).
    case invalidPlacement(request: String, reason: String)
    /// The request is booked already; move it instead.
    case alreadyBooked(String)
    /// The request has no booking to cancel or move.
    case notBooked(String)
    /// The request's existing booking is pinned and cannot change.
    case pinned(String)
    /// The offer touches only some members of the group: a group is booked, moved or cancelled whole.
    case groupMustBeBookedWhole(group: String)
    /// The request's series predecessor is not booked.
    case predecessorNotBooked(request: String, predecessor: String)
    /// The request's series successor is still booked; cancel that first.
    case successorBooked(request: String, successor: String)
    /// Rule 11: the request's authorization is not approved, or does not cover the visit.
    case notAuthorized(request: String, status: String)
    /// Rule 12: a provider's time is held for other priorities and not released yet.
    case held(hold: String, provider: String)
    /// Rule 13: a new booking before the decision time (timeline minutes).
    case inThePast(request: String, start: Int, now: Int)

    /// A one-line message naming the request, resource or time at fault.
    public var description: String {
        switch self {
        case .unknownRequest(let id): "unknown request \(id)"
        case .unknownResource(let id): "unknown provider or room \(id)"
        case .slotTaken(let r, let span): "\(r) is taken during \(span)"
        case .resourceClosed(let r, let span): "\(r) is not available during \(span)"
        case .equipmentExhausted(let pool, let span): "equipment pool \(pool) is exhausted during \(span)"
        case .notQualified(let request, let provider): "provider \(provider) cannot take request \(request)"
        case .invalidPlacement(let request, let reason): "request \(request): \(reason)"
        case .alreadyBooked(let id): "request \(id) is already booked; move it instead"
        case .notBooked(let id): "request \(id) is not booked"
        case .pinned(let id): "request \(id) is pinned and cannot change"
        case .groupMustBeBookedWhole(let g): "group \(g) must be booked, moved or cancelled whole"
        case .predecessorNotBooked(let r, let p): "request \(r) follows \(p), which is not booked"
        case .successorBooked(let r, let s): "request \(r) has its series successor \(s) booked; cancel that first"
        case .notAuthorized(let r, let status): "request \(r) cannot be booked then: its authorization is \(status) or does not cover the visit"
        case .held(let hold, let p): "\(p)'s time is held by \(hold) for other priorities until its release"
        case .inThePast(let r, let start, let now): "request \(r): start minute \(start) is before the decision time (minute \(now))"
        }
    }
}
