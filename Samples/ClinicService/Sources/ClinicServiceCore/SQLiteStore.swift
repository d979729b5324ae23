import GRDB

/// The embedded store: one SQLite database through GRDB, in a file or in memory.
///
/// Three tables: `clinic`, `snapshot` (the two latest per clinic) and `journal` (every line,
/// kept as the clinic's audit trail). The database is in WAL mode; `durable` chooses
/// `synchronous = FULL` (a commit survives a power cut) over `NORMAL` (it survives the process
/// being killed, which is what the crash test checks, at a fraction of the cost).
public final class SQLiteStore: ClinicStore {
    private let queue: DatabaseQueue

    /// A store in the file at `path`, created when missing; in memory when `path` is nil.
    public init(path: String?, durable: Bool = true) throws {
        var configuration = Configuration()
        configuration.label = "clinic-store"
        configuration.prepareDatabase { db in
            if path != nil { try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        }
        queue = try path.map { try DatabaseQueue(path: $0, configuration: configuration) }
            ?? DatabaseQueue(configuration: configuration)
        try Self.migrator.migrate(queue)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "clinic") { t in
                t.primaryKey("id", .text)
            }
            try db.create(table: "snapshot") { t in
                t.column("clinic", .text).notNull().references("clinic")
                t.column("sequence", .integer).notNull()
                t.column("document", .text).notNull()
                t.primaryKey(["clinic", "sequence"])
            }
            try db.create(table: "journal") { t in
                t.column("clinic", .text).notNull().references("clinic")
                t.column("sequence", .integer).notNull()
                t.column("line", .text).notNull()
                t.primaryKey(["clinic", "sequence"])
            }
        }
        return migrator
    }

    public func clinicIDs() throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM clinic ORDER BY id") }
    }

    public func create(clinic: String, snapshot: StoredSnapshot) throws {
        try queue.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM clinic WHERE id = ?", arguments: [clinic]) == true {
                throw StoreError.clinicExists(clinic)
            }
            try db.execute(sql: "INSERT INTO clinic (id) VALUES (?)", arguments: [clinic])
            try db.execute(sql: "INSERT INTO snapshot (clinic, sequence, document) VALUES (?, ?, ?)",
                           arguments: [clinic, snapshot.sequence, snapshot.document])
        }
    }

    public func append(clinic: String, lines: [StoredLine], snapshot: StoredSnapshot?) throws {
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO journal (clinic, sequence, line) VALUES (?, ?, ?)")
            for line in lines { try insert.execute(arguments: [clinic, line.sequence, line.line]) }
            if let snapshot {
                try db.execute(sql: "INSERT INTO snapshot (clinic, sequence, document) VALUES (?, ?, ?)",
                               arguments: [clinic, snapshot.sequence, snapshot.document])
                // Keep the two latest: the one before stays in case the newest is ever unreadable.
                try db.execute(sql: """
                    DELETE FROM snapshot WHERE clinic = ? AND sequence NOT IN
                      (SELECT sequence FROM snapshot WHERE clinic = ? ORDER BY sequence DESC LIMIT 2)
                    """, arguments: [clinic, clinic])
            }
        }
    }

    public func load(clinic: String) throws -> StoredClinic? {
        try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT sequence, document FROM snapshot WHERE clinic = ? ORDER BY sequence DESC LIMIT 1",
                                             arguments: [clinic]) else { return nil }
            let snapshot = StoredSnapshot(sequence: row["sequence"], document: row["document"])
            let lines = try Row.fetchAll(db, sql: "SELECT sequence, line FROM journal WHERE clinic = ? AND sequence > ? ORDER BY sequence",
                                         arguments: [clinic, snapshot.sequence])
                .map { StoredLine(sequence: $0["sequence"], line: $0["line"]) }
            return StoredClinic(snapshot: snapshot, lines: lines)
        }
    }

    /// Every journal line of the clinic after `sequence`, in order (the audit trail).
    public func journal(clinic: String, after sequence: Int) throws -> [StoredLine] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT sequence, line FROM journal WHERE clinic = ? AND sequence > ? ORDER BY sequence",
                             arguments: [clinic, sequence]).map { StoredLine(sequence: $0["sequence"], line: $0["line"]) }
        }
    }
}
