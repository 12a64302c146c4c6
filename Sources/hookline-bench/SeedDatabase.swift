import Foundation
import HooklineCore
import HooklinePostgres
import HooklineSQLite
import Logging

/// Opens the database `seed` and `history` write: a SQLite file, or a PostgreSQL URL (migrated first).
enum SeedDatabase {
    /// Seeds `database` (a path or `sqlite://` URL, or a `postgres://` URL) with `shape`, printing progress every 10 %.
    static func seed(_ database: String, shape: HistorySeeder.Shape) async throws -> HistorySeeder.Result {
        let step = max(shape.batch, shape.messages / 10)
        var next = step
        func report(_ done: Int) {
            guard done >= next else { return }
            Console.progress("seeded \(done) of \(shape.messages)")
            next += step
        }
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            let store = try PostgresStore(url: database, logger: Logger.quiet(label: "seed"))
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.pool.run() }
                defer { group.cancelAll() }
                try await store.migrate()
                return try await HistorySeeder(shape: shape).seed(into: store, progress: report)
            }
        }
        let path = database.hasPrefix("sqlite://") ? String(database.dropFirst("sqlite://".count)) : database
        return try await HistorySeeder(shape: shape).seed(into: try SQLiteStore(path: path), progress: report)
    }
}
