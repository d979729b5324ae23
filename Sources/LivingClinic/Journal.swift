import AppointmentModel

/// One line of a desk's journal: a change that happened, with its sequence number.
public struct JournalEntry: Sendable, Hashable {
    /// The line's sequence number: one more than the line before it in the desk's journal.
    public var sequence: Int
    /// The change as it happened: an outcome, not an intent (a `book` is journaled as its `place` lines).
    public var event: ClinicEvent

    /// Creates an entry.
    public init(sequence: Int, event: ClinicEvent) {
        self.sequence = sequence
        self.event = event
    }

    /// The line in the event-stream format, with `seq` as an extra member.
    public func line(for instance: Instance) -> String { event.line(for: instance, seq: sequence) }
}

extension ChangeOutcome {
    /// The lines that record this outcome so that replaying them restores the same state: the
    /// outcomes, not the intents (`clinic-events.md`). A `book` or `fill` becomes the `place` lines
    /// it produced; a change that displaced bookings is written with `"repair": false`, followed
    /// by the `place` lines of the repairs. Empty for a refused change.
    public var journalEvents: [ClinicEvent] {
        guard isApplied else { return [] }
        let at = event.at
        func places(_ ps: [Placement]) -> [ClinicEvent] { ps.map { ClinicEvent(at: at, .place($0)) } }
        switch event.change {
        case .book:
            return places(booked)
        case .fill:
            // A fill that booked nothing still moved the clock: its line replays as the same nothing.
            return booked.isEmpty ? [event] : places(booked)
        case .block(let provider, let span, let reason, _):
            return [ClinicEvent(at: at, .block(provider: provider, span: span, reason: reason, repair: false))] + repairLines
        case .closeRoom(let room, let span, _):
            return [ClinicEvent(at: at, .closeRoom(room: room, span: span, repair: false))] + repairLines
        case .hold(let hold, _):
            return [ClinicEvent(at: at, .hold(hold, repair: false))] + repairLines
        case .authorize(let id, let authorization, _):
            return [ClinicEvent(at: at, .authorize(request: id, authorization, repair: false))] + repairLines
        default:
            return [event]
        }
    }
}
