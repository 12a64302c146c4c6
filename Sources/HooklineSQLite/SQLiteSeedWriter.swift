import Foundation
import GRDB
import GRDBSQLite
import HooklineCore

/// Writes seeded messages, delivery rows and attempts through SQLite prepared statements bound directly: for
/// bulk seeding, GRDB's argument arrays cost more CPU than the inserts themselves.
///
/// Same columns and values as the live path; used inside one write transaction, then `finalize()`d.
final class SQLiteSeedWriter {
    private let connection: OpaquePointer
    private let message: OpaquePointer
    private let delivery: OpaquePointer
    private let attempt: OpaquePointer
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Prepares the three inserts on `db`'s connection.
    init(_ db: Database) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(message: "the connection is closed") }
        self.connection = connection
        func prepare(_ sql: String) throws -> OpaquePointer {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw DatabaseError(message: String(cString: sqlite3_errmsg(connection)), sql: sql)
            }
            return statement
        }
        message = try prepare(
            """
            INSERT INTO message (id, app_id, event_type, event_id, payload, channels, tags, created_at, priority, content_type, correlation_id)
            VALUES (?1, ?2, ?3, NULL, ?4, NULL, NULL, ?5, ?6, NULL, NULL)
            """)
        delivery = try prepare(
            """
            INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at, priority)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?6, ?7)
            """)
        attempt = try prepare(
            """
            INSERT INTO attempt (id, message_id, endpoint_id, app_id, url, status_code, response, duration_ms, status, trigger_type, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            """)
    }

    /// Releases the statements.
    func finalize() {
        for statement in [message, delivery, attempt] { sqlite3_finalize(statement) }
    }

    /// Inserts one seeded message (without `eventId`, channels or tags), its delivery row and its attempts.
    func write(_ item: SeededMessage) throws {
        let message = item.message
        let created = message.createdAt.millisecondsSince1970
        let priority = Int64(PriorityLane(clamping: message.priority).level)
        text(self.message, 1, message.id)
        text(self.message, 2, message.appId)
        text(self.message, 3, message.eventType)
        _ = message.payload.withUnsafeBytes { sqlite3_bind_blob(self.message, 4, $0.baseAddress, Int32($0.count), Self.transient) }
        sqlite3_bind_int64(self.message, 5, created)
        sqlite3_bind_int64(self.message, 6, priority)
        try run(self.message)
        let finished = item.attempts.last?.timestamp.millisecondsSince1970 ?? created
        text(delivery, 1, message.id)
        text(delivery, 2, item.endpointId)
        text(delivery, 3, message.appId)
        sqlite3_bind_int64(delivery, 4, Int64(item.finalState.rawValue))
        sqlite3_bind_int64(delivery, 5, Int64(item.attempts.count))
        sqlite3_bind_int64(delivery, 6, finished)
        sqlite3_bind_int64(delivery, 7, priority)
        try run(delivery)
        for made in item.attempts {
            text(attempt, 1, made.id)
            text(attempt, 2, made.messageId)
            text(attempt, 3, made.endpointId)
            text(attempt, 4, made.appId)
            text(attempt, 5, made.url)
            sqlite3_bind_int64(attempt, 6, Int64(made.responseStatusCode))
            text(attempt, 7, made.response)
            sqlite3_bind_int64(attempt, 8, Int64(made.durationMs))
            sqlite3_bind_int64(attempt, 9, Int64(made.status.rawValue))
            sqlite3_bind_int64(attempt, 10, Int64(made.trigger.rawValue))
            sqlite3_bind_int64(attempt, 11, made.timestamp.millisecondsSince1970)
            try run(attempt)
        }
    }

    private func text(_ statement: OpaquePointer, _ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            // An empty buffer may have no address, and a null pointer would bind NULL instead of ''.
            guard let base = bytes.baseAddress, !bytes.isEmpty else { _ = sqlite3_bind_text(statement, index, "", 0, Self.transient); return }
            _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, index, $0, Int32(bytes.count), Self.transient)
            }
        }
    }

    private func run(_ statement: OpaquePointer) throws {
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
    }
}

extension SQLiteStore {
    /// The history tables whose secondary indexes a bulk seed drops and rebuilds.
    private static let seededTables = "'message', 'delivery', 'attempt', 'event'"
    /// Partial indexes no seeded row enters (seeded deliveries are finished, seeded messages have no event id): kept
    /// through a bulk seed, as maintaining them costs one predicate per row and rebuilding them a scan of their table.
    static let indexesSeedsNeverEnter: Set<String> = ["delivery_lane", "delivery_endpoint_lane", "message_event_id"]

    /// Drops the secondary indexes of the history tables (but `indexesSeedsNeverEnter`) before a bulk seed, keeping their
    /// definitions in `seed_dropped_index` (in the same transaction), so `finishBulkSeeding()` — or the next seed, after an
    /// interrupted one — rebuilds them, and leaves the WAL for an in-memory rollback journal until then. Primary keys stay:
    /// they keep ids unique. A seed killed midway may leave a damaged file: seeds are rebuilt, not recovered.
    package func beginBulkSeeding() async throws {
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS seed_dropped_index (name TEXT PRIMARY KEY NOT NULL, sql TEXT NOT NULL)")
            let indexes = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(Self.seededTables))")
            for index in indexes {
                let name: String = index["name"]
                guard !Self.indexesSeedsNeverEnter.contains(name) else { continue }
                try db.execute(sql: "INSERT OR IGNORE INTO seed_dropped_index (name, sql) VALUES (?, ?)", arguments: [name, index["sql"]])
                try db.execute(sql: "DROP INDEX \(name.quotedDatabaseIdentifier)")
            }
        }
        // Without the WAL every page is written once, not to the log and again at the checkpoint. Leaving WAL needs the
        // only connection, so the pool's readers close first; if one is busy the mode stays and the seed is slower.
        pool.invalidateReadOnlyConnections()
        _ = try await pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = MEMORY") }
    }

    /// Rebuilds the indexes `beginBulkSeeding()` dropped, each by one sort of its table (SQLite's sorter on two
    /// threads), forgets them, and returns to the WAL.
    package func finishBulkSeeding() async throws {
        try await pool.writeWithoutTransaction { db in
            guard try db.tableExists("seed_dropped_index") else { return }
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA threads = 2")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000; PRAGMA threads = 0") }
            try db.inTransaction(.immediate) {
                for definition in try String.fetchAll(db, sql: "SELECT sql FROM seed_dropped_index ORDER BY name") {
                    let rebuild = definition.range(of: "INDEX ").map { definition.replacingCharacters(in: $0, with: "INDEX IF NOT EXISTS ") }
                    try db.execute(sql: rebuild ?? definition)
                }
                try db.execute(sql: "DROP TABLE seed_dropped_index")
                return .commit
            }
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
    }
}
