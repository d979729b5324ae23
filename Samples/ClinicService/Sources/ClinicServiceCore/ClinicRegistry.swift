import AppointmentOptimizer
import Logging
import Synchronization

/// The service's clinics, one living desk each, over one store.
///
/// Start-up restores every stored clinic from its latest snapshot and the journal lines after it
/// (at most ``ServiceSettings/snapshotEvery`` lines to replay per clinic).
public final class ClinicRegistry: Sendable {
    public let store: any ClinicStore
    public let settings: ServiceSettings
    private let clinics = Mutex<[String: Clinic]>([:])
    private let logger: Logger

    /// Restores every clinic of `store`.
    /// - Throws: ``RestoreError`` naming the clinic whose snapshot or journal cannot be read.
    public init(store: any ClinicStore, settings: ServiceSettings = ServiceSettings(), logger: Logger = Logger(label: "clinic-service")) throws {
        self.store = store
        self.settings = settings
        self.logger = logger
        for id in try store.clinicIDs() {
            guard let stored = try store.load(clinic: id) else { continue }
            let clinic = try Self.restore(id, stored, store: store, settings: settings)
            clinics.withLock { $0[id] = clinic }
            logger.info("restored clinic", metadata: ["clinic": "\(id)", "snapshot": "\(stored.snapshot.sequence)",
                                                      "replayed": "\(stored.lines.count)"])
        }
    }

    private static func restore(_ id: String, _ stored: StoredClinic, store: any ClinicStore, settings: ServiceSettings) throws -> Clinic {
        let snapshot: Instance
        do { snapshot = try ExchangeFormat.readInstance(Array(stored.snapshot.document.utf8)) } catch {
            throw RestoreError(clinic: id, message: "snapshot \(stored.snapshot.sequence) cannot be read: \(error)")
        }
        var journal: [JournalEntry] = []
        for line in stored.lines {
            do { journal.append(JournalEntry(sequence: line.sequence, event: try ClinicEvent.read(line: Array(line.line.utf8), instance: snapshot))) } catch {
                throw RestoreError(clinic: id, message: "journal line \(line.sequence) cannot be read: \(error)")
            }
        }
        let desk: ClinicDesk
        do {
            desk = try ClinicDesk(restoring: snapshot, journal: journal, snapshotSequence: stored.snapshot.sequence,
                                  repairBudget: settings.repairBudget, fillBudget: settings.fillBudget)
        } catch { throw RestoreError(clinic: id, message: "\(error)") }
        let clinic = Clinic(id: id, desk: desk, base: snapshot, store: store, snapshotEvery: settings.snapshotEvery,
                            lastSnapshot: stored.snapshot.sequence)
        clinic.desk.trimJournal(through: stored.snapshot.sequence)
        return clinic
    }

    /// The clinic `id`, or nil.
    public func clinic(_ id: String) -> Clinic? { clinics.withLock { $0[id] } }

    /// The clinics' ids, sorted.
    public var ids: [String] { clinics.withLock { $0.keys.sorted() } }

    /// A new clinic from `instance` (format 1 or 2; its existing bookings are the desk's), stored
    /// with its first snapshot.
    /// - Throws: ``APIError`` (409 when the id is taken, 422 when the instance fails its checks).
    public func create(_ id: String, from instance: Instance) throws -> Clinic {
        try clinics.withLock { all in
            if all[id] != nil { throw APIError(.conflict, "clinic-exists", "clinic \(id) exists already; choose another id", field: "clinic", id: id) }
            let desk: ClinicDesk
            do throws(DeskError) { desk = try ClinicDesk(instance, repairBudget: settings.repairBudget, fillBudget: settings.fillBudget) } catch {
                throw APIError(.unprocessableContent, "invalid-instance", "the instance cannot start a desk: \(error.issues.first ?? "")",
                               field: error.issues.first.map { String($0.prefix { $0 != ":" }) }, id: id,
                               issues: error.issues.map { InstanceIssue(.error, path: String($0.prefix { $0 != ":" }), message: $0) })
            }
            let (snapshot, sequence) = desk.snapshot()
            try store.create(clinic: id, snapshot: StoredSnapshot(sequence: sequence, document: ExchangeFormat.write(snapshot)))
            let clinic = Clinic(id: id, desk: desk, base: snapshot, store: store, snapshotEvery: settings.snapshotEvery, lastSnapshot: sequence)
            all[id] = clinic
            logger.info("created clinic", metadata: ["clinic": "\(id)", "requests": "\(snapshot.requests.count)"])
            return clinic
        }
    }
}

/// A stored clinic that cannot be restored.
public struct RestoreError: Error, Sendable, CustomStringConvertible {
    public var clinic: String
    public var message: String
    public var description: String { "clinic \(clinic): \(message)" }
}
