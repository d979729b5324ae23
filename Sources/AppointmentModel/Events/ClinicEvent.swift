/// One change of a clinic's day, as a line of the event stream (`shared/spec/clinic-events.md`).
///
/// `at` is the clock of the change (timeline minutes) and the decision time of every booking it
/// makes. Lines are read by ``ClinicEvent/read(line:instance:)`` and written by
/// ``ClinicEvent/line(for:seq:)``.
public struct ClinicEvent: Sendable, Hashable {
    /// The clock of the change (timeline minutes), and the decision time of every booking it makes.
    public var at: Int
    /// What changes.
    public var change: Change

    /// Creates an event from its clock and its change.
    public init(at: Int, _ change: Change) {
        self.at = at
        self.change = change
    }

    /// What changes. The operations of the spec, plus ``unbook(request:)`` (an extension: the
    /// booking is cancelled and the request waits again; written as `"op": "unbook"`).
    public enum Change: Sendable, Hashable {
        /// A new request joins the waiting list.
        case arrive(Request)
        /// Book the best offer for the request now (its whole group).
        case book(request: String)
        /// Book, or move, the request to exactly this placement.
        case place(Placement)
        /// The patient cancels: the request leaves, with its group and its dependent series members.
        case cancel(request: String)
        /// A booked request becomes confirmed.
        case confirm(request: String)
        /// The provider is away during `span`; bookings that now break a rule are displaced.
        case block(provider: String, span: TimeSpan, reason: String?, repair: Bool)
        /// Removes a block with exactly these bounds.
        case unblock(provider: String, span: TimeSpan)
        /// The room is closed during `span`; bookings that need it are displaced.
        case closeRoom(room: String, span: TimeSpan, repair: Bool)
        /// Adds a hold; bookings it does not admit at `at` are displaced.
        case hold(Hold, repair: Bool)
        /// Removes the hold.
        case releaseHold(id: String)
        /// Sets the request's authorization; a booking that no longer obeys rule 11 is displaced.
        case authorize(request: String, Authorization, repair: Bool)
        /// Offers free time to the waiting list, moving nobody.
        case fill
        /// Extension: cancels the booking only; the request goes back to the waiting list.
        case unbook(request: String)

        /// The `op` of the line.
        public var op: String {
            switch self {
            case .arrive: "arrive"
            case .book: "book"
            case .place: "place"
            case .cancel: "cancel"
            case .confirm: "confirm"
            case .block: "block"
            case .unblock: "unblock"
            case .closeRoom: "closeRoom"
            case .hold: "hold"
            case .releaseHold: "releaseHold"
            case .authorize: "authorize"
            case .fill: "fill"
            case .unbook: "unbook"
            }
        }
    }
}

/// A placement: one provider per role, a room or none, a start. The same value as ``Assignment``.
public typealias Placement = Assignment
