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
    /// - Parameters:
    ///   - instance: the clinic as it is (format 1 or 2); its existing bookings are the desk's.
    ///   - firstSequence: the sequence number of the first journal line (a desk restored from a
    ///     snapshot goes on from the snapshot's).
    ///   - repairBudget: time for a repair's integer program (``ClinicState/repairBudget``).
    ///   - fillBudget: time for `fill`'s integer program (``ClinicState/fillBudget``).
    ///   - onJournal: called under the lock with the entries of each applied change, in order,
    ///     before `apply` returns.
    /// - Throws: ``DeskError`` with the checker's errors.
    public init(_ instance: Instance, firstSequence: Int = 1, repairBudget: Duration = .milliseconds(250),
                fillBudget: Duration = .milliseconds(250), onJournal: (@Sendable ([JournalEntry]) -> Void)? = nil) throws(DeskError) {
        var state = try ClinicState(instance)
        state.repairBudget = repairBudget
        state.fillBudget = fillBudget
        guarded = Mutex(Guarded(state: state, nextSequence: firstSequence))
        self.onJournal = onJournal
    }

    /// A desk restored from a snapshot and the journal lines after it.
    ///
    /// - Parameters:
    ///   - snapshot: the state as a format-2 instance (``snapshot()``, written and read back).
    ///   - journal: the lines written after the snapshot, in order.
    ///   - snapshotSequence: the sequence number of the last line in the snapshot; the next line
    ///     is numbered after it and after the journal's last.
    ///   - repairBudget: time for a repair's integer program (``ClinicState/repairBudget``).
    ///   - fillBudget: time for `fill`'s integer program (``ClinicState/fillBudget``).
    ///   - onJournal: called under the lock with the entries of each applied change.
    /// - Throws: ``DeskError`` when the snapshot is invalid or a line is refused.
    public init(restoring snapshot: Instance, journal: [JournalEntry], snapshotSequence: Int = 0,
                repairBudget: Duration = .milliseconds(250), fillBudget: Duration = .milliseconds(250),
                onJournal: (@Sendable ([JournalEntry]) -> Void)? = nil) throws(DeskError) {
        var state = try ClinicState(restoring: snapshot, journal: journal.map(\.event))
        state.repairBudget = repairBudget
        state.fillBudget = fillBudget
        let next = max(journal.last?.sequence ?? 0, snapshotSequence) + 1
        guarded = Mutex(Guarded(state: state, journal: journal, nextSequence: next))
        self.onJournal = onJournal
    }

    /// Applies one change; see ``ClinicState/apply(_:)``. The outcome carries the sequence numbers
    /// of the journal lines that record it.
    @discardableResult
    public func apply(_ event: ClinicEvent) -> ChangeOutcome {
        Self.numbered(journaled(undoable: false, persist: { _, _ in }) { state in Self.applied(event, to: &state) })
    }

    /// Applies one change and hands the journal lines that record it, with the state after it, to
    /// `persist`, under the lock: nobody sees the change before `persist` returns. When `persist`
    /// throws, the change is undone (the state, the journal and the next sequence number are as
    /// before) and its error is rethrown. A service writes the lines in the database transaction
    /// that acknowledges the change, so that what was acknowledged is exactly what was stored.
    /// `persist` is not called for a refused change.
    ///
    /// - Complexity: that of ``apply(_:)``, plus a copy of the parts of the state that the change
    ///   writes (the state before it is kept until `persist` returns).
    public func apply(_ event: ClinicEvent,
                      persisting persist: (_ entries: [JournalEntry], _ state: ClinicState) throws -> Void) throws -> ChangeOutcome {
        try Self.numbered(journaled(undoable: true, persist: persist) { state in Self.applied(event, to: &state) })
    }

    /// ``apply(_:persisting:)`` of `change` at the desk's clock, or at `notBefore` when that is
    /// later: a service's call that names no time happens now, and two such calls racing cannot
    /// take the clock back.
    public func apply(_ change: ClinicEvent.Change, notBefore: Int,
                      persisting persist: (_ entries: [JournalEntry], _ state: ClinicState) throws -> Void) throws -> ChangeOutcome {
        try Self.numbered(journaled(undoable: true, persist: persist) { state in
            Self.applied(ClinicEvent(at: max(state.now, notBefore), change), to: &state)
        })
    }

    /// Applies a nightly plan made from the snapshot `base` (see ``ClinicState/applyPlan(_:from:at:)``),
    /// journaling the changes it made.
    public func applyPlan(_ plan: Solution, from base: Instance) -> PlanOutcome {
        journaled(undoable: false, persist: { _, _ in }) { state in
            let outcome = state.applyPlan(plan, from: base)
            return (outcome, outcome.events)
        }.outcome
    }

    /// ``applyPlan(_:from:)`` whose journal lines go to `persist` first, as in
    /// ``apply(_:persisting:)``: when it throws, nothing of the plan is applied.
    public func applyPlan(_ plan: Solution, from base: Instance,
                          persisting persist: (_ entries: [JournalEntry], _ state: ClinicState) throws -> Void) throws -> PlanOutcome {
        try journaled(undoable: true, persist: persist) { state in
            let outcome = state.applyPlan(plan, from: base)
            return (outcome, outcome.events)
        }.outcome
    }

    /// The outcome with the sequence numbers of the lines that record it.
    private static func numbered(_ result: (outcome: ChangeOutcome, journal: ClosedRange<Int>?)) -> ChangeOutcome {
        var outcome = result.outcome
        outcome.journal = result.journal
        return outcome
    }

    /// A change applied to `state`, and the lines that record it.
    private static func applied(_ event: ClinicEvent, to state: inout ClinicState) -> (ChangeOutcome, [ClinicEvent]) {
        let outcome = state.apply(event)
        return (outcome, outcome.journalEvents)
    }

    /// Runs `change` on the state under the lock, journals the lines it returns and hands them to
    /// `persist`; when `persist` throws, an `undoable` change is put back whole (state, journal,
    /// sequence numbers) and the error rethrown. Returns the outcome and the sequence numbers of
    /// its lines (nil when it wrote none).
    private func journaled<Outcome: Sendable, E: Error>(
        undoable: Bool, persist: (_ entries: [JournalEntry], _ state: ClinicState) throws(E) -> Void,
        _ change: (inout ClinicState) -> (Outcome, [ClinicEvent])
    ) throws(E) -> (outcome: Outcome, journal: ClosedRange<Int>?) {
        try guarded.withLock { (g: inout Guarded) throws(E) -> (outcome: Outcome, journal: ClosedRange<Int>?) in
            let before = undoable ? g : nil
            let (outcome, events) = change(&g.state)
            guard let entries = Self.record(events, in: &g) else { return (outcome, nil) }
            do throws(E) { try persist(entries, g.state) } catch {
                if let before { g = before }
                throw error
            }
            onJournal?(entries)
            return (outcome, entries.first!.sequence...entries.last!.sequence)
        }
    }

    /// Numbers `events` from the next sequence number and adds them to the journal; nil when
    /// there are none.
    private static func record(_ events: [ClinicEvent], in g: inout Guarded) -> [JournalEntry]? {
        guard !events.isEmpty else { return nil }
        let entries = events.enumerated().map { JournalEntry(sequence: g.nextSequence + $0.offset, event: $0.element) }
        g.nextSequence += entries.count
        g.journal += entries
        return entries
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

    /// Forgets the journal lines up to `sequence` (a service that stored a snapshot taken after
    /// them keeps them in its database, not in memory). Sequence numbers go on as before.
    public func trimJournal(through sequence: Int) {
        guarded.withLock { g in g.journal.removeAll { $0.sequence <= sequence } }
    }

    /// Moves the clock on (never back).
    public func advanceClock(to t: Int) { guarded.withLock { $0.state.advanceClock(to: t) } }
}
