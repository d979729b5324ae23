import AppointmentModel
import RealTimeBooking
import Synchronization

/// The clinic's living desk, shared by many tasks: one ``ClinicState`` behind a lock, and the
/// journal of every change with its sequence number.
///
/// Every call runs whole under the lock, so each change sees one consistent state and is applied
/// all or nothing; callers racing for the same slot get one booking and one refusal. Calls are
/// synchronous: no `await` is held across the lock.
public final class ClinicDesk: Sendable {
    private struct Guarded: Sendable {
        var state: ClinicState
        var journal: [JournalEntry] = []
        var nextSequence = 1
    }

    private let guarded: Mutex<Guarded>
    private let onJournal: (@Sendable ([JournalEntry]) -> Void)?

    /// A desk over `instance`, which must pass the instance checker.
    ///
    /// - Parameter firstSequence: the sequence number of the first journal line (a desk restored
    ///   from a snapshot goes on from the snapshot's).
    /// - Parameter onJournal: called under the lock with the entries of each applied change, in
    ///   order, before `apply` returns.
    /// - Throws: ``DeskError`` with the checker's errors.
    /// - Parameter repairBudget: time for a repair's integer program (``ClinicState/repairBudget``).
    /// - Parameter fillBudget: time for `fill`'s integer program (``ClinicState/fillBudget``).
    public init(_ instance: Instance, firstSequence: Int = 1, repairBudget: Duration = .milliseconds(250),
                fillBudget: Duration = .milliseconds(250), onJournal: (@Sendable ([JournalEntry]) -> Void)? = nil) throws(DeskError) {
        var state = try ClinicState(instance)
        state.repairBudget = repairBudget
        state.fillBudget = fillBudget
        guarded = Mutex(Guarded(state: state, nextSequence: firstSequence))
        self.onJournal = onJournal
    }

    /// A desk restored from a snapshot and the journal lines after it.
    public init(restoring snapshot: Instance, journal: [JournalEntry], repairBudget: Duration = .milliseconds(250),
                onJournal: (@Sendable ([JournalEntry]) -> Void)? = nil) throws(DeskError) {
        var state = try ClinicState(restoring: snapshot, journal: journal.map(\.event))
        state.repairBudget = repairBudget
        guarded = Mutex(Guarded(state: state, journal: journal, nextSequence: (journal.last?.sequence ?? 0) + 1))
        self.onJournal = onJournal
    }

    /// Applies one change; see ``ClinicState/apply(_:)``. The outcome carries the sequence numbers
    /// of the journal lines that record it.
    @discardableResult
    public func apply(_ event: ClinicEvent) -> ChangeOutcome {
        guarded.withLock { g in
            var outcome = g.state.apply(event)
            let events = outcome.journalEvents
            guard !events.isEmpty else { return outcome }
            let entries = events.enumerated().map { JournalEntry(sequence: g.nextSequence + $0.offset, event: $0.element) }
            g.nextSequence += entries.count
            g.journal += entries
            outcome.journal = entries.first!.sequence...entries.last!.sequence
            onJournal?(entries)
            return outcome
        }
    }

    /// Applies a nightly plan made from the snapshot `base` (see ``ClinicState/applyPlan(_:from:at:)``),
    /// journaling the changes it made.
    public func applyPlan(_ plan: Solution, from base: Instance) -> PlanOutcome {
        guarded.withLock { g in
            let outcome = g.state.applyPlan(plan, from: base)
            let entries = outcome.events.enumerated().map { JournalEntry(sequence: g.nextSequence + $0.offset, event: $0.element) }
            g.nextSequence += entries.count
            g.journal += entries
            if !entries.isEmpty { onJournal?(entries) }
            return outcome
        }
    }

    /// The best offers for request `id` now.
    public func offers(for id: String, limit: Int = 5) -> OfferResult {
        guarded.withLock { g in
            var engine = g.state.engine
            return engine.offers(for: id, limit: limit)
        }
    }

    /// The booking of request `id` now.
    public func booking(of id: String) -> Placement? { guarded.withLock { $0.state.booking(of: id) } }

    /// What `fill` would book now.
    public func proposeFill() -> [Placement] { guarded.withLock { $0.state.proposeFill() } }

    /// A copy of the state.
    public var state: ClinicState { guarded.withLock { $0.state } }

    /// The state as a format-2 instance, and the sequence number of the last change in it.
    public func snapshot() -> (instance: Instance, sequence: Int) {
        guarded.withLock { ($0.state.snapshot(), $0.nextSequence - 1) }
    }

    /// The journal lines with a sequence number above `after`.
    public func journal(after: Int = 0) -> [JournalEntry] {
        guarded.withLock { g in g.journal.filter { $0.sequence > after } }
    }

    /// Moves the clock on (never back).
    public func advanceClock(to t: Int) { guarded.withLock { $0.state.advanceClock(to: t) } }
}
