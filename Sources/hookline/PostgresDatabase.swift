import Foundation
import HooklineCore
import HooklinePostgres
import Logging

/// Opens a PostgreSQL store for a command: runs its connection pool around `body` and migrates it first.
enum PostgresDatabase {
    /// How long start-up waits for the database to answer before giving up.
    static let startupPatience: Duration = .seconds(30)

    /// Runs `body` with a migrated store whose pool runs until `body` returns.
    static func with<T: Sendable>(url: String, logger: Logger, _ body: (PostgresStore) async throws -> T) async throws -> T {
        let store = try PostgresStore(url: url, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.pool.run() }
            defer { group.cancelAll() }
            try await migrate(store, logger: logger)
            return try await body(store)
        }
    }

    /// Applies pending migrations, retrying while the database is unreachable (nodes may start before it).
    private static func migrate(_ store: PostgresStore, logger: Logger) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: startupPatience)
        while true {
            do {
                try await store.migrate()
                return
            } catch let error as HooklineError where error.code == .unavailable && clock.now < deadline {
                logger.warning("waiting for the database", metadata: ["error": "\(error.message)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
