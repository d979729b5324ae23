import AppointmentModel

/// What one change did to the clinic: whether it applied, what it booked, displaced, repaired,
/// sent back to the waiting list or cancelled, and the journal lines that record it.
public struct ChangeOutcome: Sendable, Hashable {
    /// The change as asked.
    public var event: ClinicEvent
    /// Nil when applied; otherwise why nothing changed.
    public var refusal: String?
    /// Bookings made (by `book`, `place`, `fill`), in order.
    public var booked: [Placement] = []
    /// Bookings that changed place: by the change itself (`place` of a booked request), by a
    /// repair, or moved by a repair's integer program to make room.
    public var moved: [Move] = []
    /// Bookings the change broke, each with its reason: hit by the change, in a group with one
    /// that was, or following one in a series. Each is then in `repaired` or in `waiting`.
    public var displaced: [Displacement] = []
    /// Displaced bookings booked again (`from` the old place `to` the new one, which may be the
    /// same when only a series predecessor moved, or differ only in the room).
    public var repaired: [Move] = []
    /// Requests that went back to the waiting list (displaced and not re-placed, or unbooked).
    public var waiting: [String] = []
    /// Requests that left the clinic (a cancel, with its group and dependent series members).
    public var cancelled: [String] = []
    /// Repaired bookings that kept their start and providers (a change of room alone) and so
    /// stay confirmed.
    public var stillConfirmed: [String] = []
    /// The lines that record the repairs, after the change itself (written with `"repair": false`):
    /// `place` lines, `confirm` lines for visits that stayed confirmed, and, when the integer
    /// program moved other bookings to make room, `unbook` lines before their `place` lines.
    public var repairLines: [ClinicEvent] = []
    /// Holds whose release time passed when the clock moved to this change's `at`.
    public var releasedHolds: [String] = []
    /// Journal sequence numbers of the lines that record the change (empty when refused).
    public var journal: ClosedRange<Int>?

    /// Whether the change was applied (it was not refused).
    public var isApplied: Bool { refusal == nil }

    /// An outcome of `event` that records nothing yet.
    public init(event: ClinicEvent) { self.event = event }

    static func refused(_ event: ClinicEvent, _ why: String) -> ChangeOutcome {
        var o = ChangeOutcome(event: event)
        o.refusal = why
        return o
    }
}

/// A booking moved from one placement to another.
public struct Move: Sendable, Hashable {
    /// The request's id.
    public var request: String
    /// Where it was booked before.
    public var from: Placement
    /// Where it is booked now.
    public var to: Placement

    /// Creates a move.
    public init(request: String, from: Placement, to: Placement) {
        self.request = request
        self.from = from
        self.to = to
    }
}

/// A booking that a change broke.
public struct Displacement: Sendable, Hashable {
    /// The request's id.
    public var request: String
    /// Where it was booked before the change.
    public var from: Placement
    /// Why it was displaced, for example `PRV-002 is away (sick)` or `follows R0030, which was displaced`.
    public var reason: String
}

/// Why a desk cannot be built or restored.
public struct DeskError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The instance checker's errors (each names its field and id), or the journal line that failed.
    public var issues: [String]

    /// The only issue, or the number of issues and the first 50, one a line.
    public var description: String {
        issues.count == 1 ? issues[0] : "\(issues.count) problems:\n" + issues.prefix(50).map { "  - \($0)" }.joined(separator: "\n")
    }
}
