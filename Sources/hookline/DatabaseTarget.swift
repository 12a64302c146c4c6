import ArgumentParser
import Foundation
import HooklineCore
import HooklinePostgres
import Logging

/// Which store a command opens: the embedded SQLite file, or a shared PostgreSQL database.
enum DatabaseTarget: Sendable {
    /// The SQLite file at this path.
    case sqlite(path: String)
    /// The PostgreSQL database at this URL.
    case postgres(url: String)

    /// Reads `--database` / `HOOKLINE_DATABASE`; SQLite in `dataDirectory` when `url` is nil.
    init(url: String?, dataDirectory: String) throws {
        guard let url, !url.isEmpty else {
            self = .sqlite(path: (dataDirectory as NSString).appendingPathComponent("hookline.sqlite"))
            return
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else if url.hasPrefix("sqlite://") {
            self = .sqlite(path: String(url.dropFirst("sqlite://".count)))
        } else {
            throw ValidationError("--database must be a postgres:// or sqlite:// URL")
        }
    }

    /// Where the data lives, for banners and logs, without any password.
    var redacted: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}

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
