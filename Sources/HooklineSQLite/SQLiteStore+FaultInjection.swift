import GRDB

extension SQLiteStore {
    /// Caps the database at `pages` pages (SQLite then fails writes as if the disk were full); `nil` lifts the cap.
    ///
    /// For fault-injection tests and for operators who want a hard size ceiling.
    public func setMaxPageCount(_ pages: Int?) async throws {
        try await pool.write { db in
            try db.execute(sql: "PRAGMA max_page_count = \(pages ?? 4_294_967_294)")
        }
    }

    /// The current size of the database in pages.
    public func pageCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
    }
}
