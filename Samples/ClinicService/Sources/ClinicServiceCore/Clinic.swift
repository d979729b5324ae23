import AppointmentOptimizer
import Foundation
import Synchronization

/// One clinic of the service: its living desk, bound to the store so that every change is
/// journaled in the transaction that acknowledges it, and a snapshot is stored every
/// ``ServiceSettings/snapshotEvery`` journal lines.
public final class Clinic: Sendable {
    public let id: String
    public let desk: ClinicDesk
    /// The instance whose timeline reads and writes this clinic's instants (the snapshot it was
    /// created or restored from: arrivals and changes never move the horizon).
    public let base: Instance
    /// Local dates and RFC 3339 instants of the clinic's locations.
    public let clock: LocalClock
    let store: any ClinicStore
    let snapshotEvery: Int
    /// The sequence number of the last snapshot stored.
    private let lastSnapshot: Mutex<Int>
    /// The nightly optimisation running or last run.
    let optimization = Mutex<OptimizationJob?>(nil)

    init(id: String, desk: ClinicDesk, base: Instance, store: any ClinicStore, snapshotEvery: Int, lastSnapshot: Int) {
        self.id = id
        self.desk = desk
        self.base = base
        self.clock = LocalClock(base)
        self.store = store
        self.snapshotEvery = max(1, snapshotEvery)
        self.lastSnapshot = Mutex(lastSnapshot)
    }

    /// Applies `event` at its own time, storing its journal lines before it is acknowledged.
    /// - Throws: the store's error; the desk is then as before.
    public func apply(_ event: ClinicEvent) throws -> ChangeOutcome {
        let outcome = try desk.apply(event, persisting: persist)
        trimIfSnapshotted()
        return outcome
    }

    /// Applies `change` now: at the desk's clock, or at `notBefore` (the wall clock) when later.
    public func apply(_ change: ClinicEvent.Change, notBefore: Int) throws -> ChangeOutcome {
        let outcome = try desk.apply(change, notBefore: notBefore, persisting: persist)
        trimIfSnapshotted()
        return outcome
    }

    /// Applies a nightly plan made from the snapshot `base`, storing its lines first.
    public func applyPlan(_ plan: Solution, from base: Instance) throws -> PlanOutcome {
        let outcome = try desk.applyPlan(plan, from: base, persisting: persist)
        trimIfSnapshotted()
        return outcome
    }

    /// Runs under the desk's lock: the lines, and a snapshot when one is due, in one transaction.
    private func persist(_ entries: [JournalEntry], _ state: ClinicState) throws {
        let lines = entries.map { StoredLine(sequence: $0.sequence, line: $0.line(for: base)) }
        let last = entries.last!.sequence
        let due = lastSnapshot.withLock { last - $0 >= snapshotEvery }
        let snapshot = due ? StoredSnapshot(sequence: last, document: ExchangeFormat.write(state.snapshot())) : nil
        try store.append(clinic: id, lines: lines, snapshot: snapshot)
        if due { lastSnapshot.withLock { $0 = last } }
    }

    /// The desk keeps in memory only the lines after the last stored snapshot.
    private func trimIfSnapshotted() {
        desk.trimJournal(through: lastSnapshot.withLock { $0 })
    }

    /// The timeline minute of the wall clock now, or nil when it is outside the clinic's timeline.
    public func wallClockMinute() -> Int? {
        base.timeline.minute(unixSeconds: Int(Date().timeIntervalSince1970) / 60 * 60)
    }

    /// An instant of the clinic's timeline in the offset of its first location.
    public func instant(_ minute: Int) -> String { clock.rfc3339(minute, at: base.locations.first?.id) }
}

/// What the service does not set by request: how often to snapshot, the desk's budgets, limits.
public struct ServiceSettings: Sendable {
    /// A snapshot of a clinic every this many journal lines (start-up replays at most this many).
    public var snapshotEvery = 200
    /// Time for a repair's integer program at the desk.
    public var repairBudget: Duration = .milliseconds(250)
    /// Time for `fill`'s integer program.
    public var fillBudget: Duration = .milliseconds(250)
    /// The largest request body read, in bytes (an instance of 14,000 requests is about 10 MB).
    public var maxBodyBytes = 64 << 20
    /// The longest nightly run one call may ask for, in seconds.
    public var maxOptimizationSeconds = 3600.0

    public init() {}
}
