import Foundation
import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's C interface, for the hot path's inserts and updates.
///
/// GRDB's argument arrays box every value (`StatementArguments`, `DatabaseValue`) and cost more CPU than the
/// statements themselves; this binds each value in place. Only for statements on tables no transaction observer
/// watches (messages, deliveries, attempts, events): GRDB does not see these executions.
struct SQLiteBoundStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Takes `sql`'s cached statement on `db`, reset and with every parameter unbound (`NULL`).
    init(_ db: Database, sql: String) throws {
        let statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds an integer to the 1-based parameter `index`.
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds an integer, or `NULL` for `nil`.
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds text, or `NULL` for `nil`.
    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        let bound = value.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
        if bound == nil {
            value.makeContiguousUTF8()
            bind(index, value)
        }
    }

    /// Binds bytes as a blob.
    func bind(_ index: Int32, _ value: Data) {
        _ = value.withUnsafeBytes { bytes in
            // A non-nil pointer even when empty, so the value is an empty blob and not NULL.
            sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), Self.transient)
        }
    }

    /// Steps the statement to its end and resets it; throws SQLite's error as GRDB's `DatabaseError`.
    func run() throws {
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else { throw failure(code) }
        sqlite3_reset(handle)
    }

    /// Rows changed by the last `run()` on this connection.
    var changes: Int { Int(sqlite3_changes(connection)) }

    /// The rowid the last insert on this connection assigned.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    private func failure(_ code: Int32) -> DatabaseError {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        let message = connection.map { String(cString: sqlite3_errmsg($0)) }
        let sql = sqlite3_sql(handle).map { String(cString: $0) }
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: sql)
    }
}
