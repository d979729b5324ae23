/// Where the service keeps its clinics: for each, its latest snapshot and the journal lines
/// written after it.
///
/// Calls are synchronous and are made under the clinic's desk lock: a change is acknowledged
/// only once ``append(clinic:lines:snapshot:)`` has returned, so that what was acknowledged is
/// exactly what was stored. ``SQLiteStore`` is the embedded implementation; another database
/// implements the same four calls.
public protocol ClinicStore: Sendable {
    /// The ids of the stored clinics, sorted.
    func clinicIDs() throws -> [String]
    /// Stores a new clinic with its first snapshot.
    /// - Throws: ``StoreError/clinicExists(_:)`` when the id is taken.
    func create(clinic: String, snapshot: StoredSnapshot) throws
    /// Appends journal lines, and a snapshot taken after the last of them when given, in one
    /// transaction: all of it is stored or none.
    func append(clinic: String, lines: [StoredLine], snapshot: StoredSnapshot?) throws
    /// The clinic's latest snapshot and the journal lines after it, in order; nil when unknown.
    func load(clinic: String) throws -> StoredClinic?
    /// Every journal line of the clinic after `sequence`, in order: the audit trail, kept whole.
    func journal(clinic: String, after sequence: Int) throws -> [StoredLine]
}

/// A clinic's state as a clinic-schedule/2 document, after journal line `sequence`.
public struct StoredSnapshot: Sendable, Hashable {
    public var sequence: Int
    public var document: String

    public init(sequence: Int, document: String) {
        self.sequence = sequence
        self.document = document
    }
}

/// One journal line (the event-stream format, `clinic-events.md`) with its sequence number.
public struct StoredLine: Sendable, Hashable {
    public var sequence: Int
    public var line: String

    public init(sequence: Int, line: String) {
        self.sequence = sequence
        self.line = line
    }
}

/// What start-up reads back of one clinic.
public struct StoredClinic: Sendable, Hashable {
    public var snapshot: StoredSnapshot
    public var lines: [StoredLine]
}

/// Why the store refused a call.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case clinicExists(String)
    case unknownClinic(String)

    public var description: String {
        switch self {
        case .clinicExists(let id): "clinic \(id) exists already; choose another id"
        case .unknownClinic(let id): "no clinic \(id) in the store"
        }
    }
}
