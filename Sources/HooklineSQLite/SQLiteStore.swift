import Foundation
import GRDB
import HooklineCore

/// The embedded default store: one SQLite file in WAL mode with `synchronous=FULL`.
///
/// It is meant for one Hookline process; `releaseLeases(now:)` at start-up makes deliveries that a
/// crashed process held due again at once.
package struct SQLiteStore: HooklineStore {
    let pool: DatabasePool
    let cache = ResourceCache()

    /// Opens (creating if needed) the database at `path` and applies pending migrations; `traceStatements`
    /// (tests: query-plan checks) hears every statement run, with its arguments expanded.
    package init(path: String, traceStatements: (@Sendable (String) -> Void)? = nil) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Statement journals in memory: a multi-row statement inside a batch's transaction otherwise spills the
            // pages it changes to a temporary file once they pass 64 KiB (~20 pages per claim or completion batch).
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY")
            if let traceStatements {
                db.trace(options: .statement) { if case .statement(let statement) = $0 { traceStatements(statement.expandedSQL) } }
            }
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB switches the writer to `synchronous = NORMAL` when it enables WAL, after `prepareDatabase`: commits
        // would reach the log without an fsync, and a 202 would not survive a power cut or a file system error.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try Self.enableIncrementalVacuum(pool)
        try SQLiteMigrations.refuseNewerSchema(pool)
        try SQLiteMigrations.migrator.migrate(pool)
        pool.add(transactionObserver: cache, extent: .databaseLifetime)
    }

    /// Opens the store as `init(path:traceStatements:)` does, on a thread of its own: opening creates the file and
    /// applies migrations (two dozen `fdatasync`s on a new file), blocking work that must not hold a thread of Swift's
    /// concurrency pool while other tasks wait for it.
    package static func open(path: String, traceStatements: (@Sendable (String) -> Void)? = nil) async throws -> SQLiteStore {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try SQLiteStore(path: path, traceStatements: traceStatements) }) }
            thread.name = "hookline-sqlite-open"
            thread.start()
        }
    }

    /// Makes every leased delivery due at `now` and drops every cluster lease (a background task's, retention's),
    /// so a restarted process takes over at once what the previous one held; returns the deliveries released.
    /// Only safe when no other process uses the file.
    package func releaseLeases(now: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                // `state IN (0, 1)` lets SQLite use an active-row index (`delivery_lane`): `state = 1` alone scans every finished row.
                sql: "UPDATE delivery SET state = 0, next_attempt_at = ?, updated_at = ? WHERE state IN (0, 1) AND state = 1",
                arguments: [now.millisecondsSince1970, now.millisecondsSince1970])
            let released = db.changesCount
            try db.execute(sql: "DELETE FROM cluster_lease")
            return released
        }
    }

    /// Runs `body` in a write transaction committed without its own fsync (`synchronous=NORMAL`).
    ///
    /// For writes whose loss only repeats work (claims, recorded outcomes): a commit survives a killed
    /// process as soon as it returns, a power cut can lose it until the next fsync'd commit (any ingest)
    /// persists the log, and then the delivery runs again — at least once, never lost.
    func writeRelaxed<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
            defer { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Runs `body` in a write transaction, mapping uniqueness violations to `conflict`.
    func write<T: Sendable>(conflict: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw HooklineError(.conflict, conflict, cause: error)
        }
    }
}

extension SQLiteStore {
    /// Caps the database at `pages` pages (SQLite then fails writes as if the disk were full); `nil` lifts the cap.
    ///
    /// For fault-injection tests and for operators who want a hard size ceiling.
    package func setMaxPageCount(_ pages: Int?) async throws {
        try await pool.write { db in
            try db.execute(sql: "PRAGMA max_page_count = \(pages ?? 4_294_967_294)")
        }
    }

    /// The writer connection's durability and temporary-storage settings, as SQLite reports them.
    package func writerSettings() async throws -> (synchronous: Int, tempStore: Int) {
        try await pool.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1, try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? -1)
        }
    }

    /// The current size of the database in pages.
    package func pageCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
    }
}
