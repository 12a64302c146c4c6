import Foundation
import HooklinePostgres
import Logging
import PostgresNIO

/// Where the history phase keeps one history: a SQLite file in the work directory, or a database it creates
/// (and drops) on a PostgreSQL server.
enum HistoryDatabase: Sendable {
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database; `created` when this run made it (and drops it at the end).
    case postgres(url: PostgresURL, created: Bool)

    /// What `serve --database` and `seed --database` take.
    var argument: String {
        switch self {
        case .sqlite(let path): "sqlite://" + path
        case .postgres(let url, _): url.urlString
        }
    }

    /// For the table: the file's size, or the database's.
    func bytes() async -> Int? {
        switch self {
        case .sqlite(let path):
            return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        case .postgres(let url, _):
            return try? await Self.withClient(url) { client in
                let rows = try await client.query("SELECT pg_database_size(current_database())::int8", logger: Self.logger)
                for try await size in rows.decode(Int64.self) { return Int(size) }
                return nil
            }
        }
    }

    /// A new database named `name` on the server `adminURL` points at.
    static func create(name: String, adminURL: String) async throws -> HistoryDatabase {
        let admin = try PostgresURL(adminURL)
        _ = try await withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        return .postgres(url: admin.with(database: name), created: true)
    }

    /// Creates a database named `prefix` and a random suffix on `adminURL`'s server, runs `body` on it, and drops it.
    static func withFresh<T>(prefix: String, adminURL: String, _ body: (HistoryDatabase) async throws -> T) async throws -> T {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(8)
        let created = try await create(name: "\(prefix)_\(suffix)", adminURL: adminURL)
        do {
            let result = try await body(created)
            await created.drop()
            return result
        } catch {
            await created.drop()
            throw error
        }
    }

    /// Drops the database if this run created it.
    func drop() async {
        guard case .postgres(let url, true) = self, let name = url.database else { return }
        _ = try? await Self.withClient(url.with(database: "postgres")) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: Self.logger)
        }
    }

    /// Errors only: PostgresNIO warns when a query is queued before the client's `run()` task has started.
    private static let logger: Logger = {
        var logger = Logger(label: "history-db")
        logger.logLevel = .error
        return logger
    }()

    private static func withClient<T: Sendable>(_ url: PostgresURL, _ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
