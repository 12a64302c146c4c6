import Foundation
import HooklineCore
import HooklinePostgres
import HooklineTesting
import Logging
import PostgresNIO

/// A fresh, empty PostgreSQL database (`hl_<random>`) on the server of `HOOKLINE_TEST_DATABASE_URL`.
///
/// `url` is a plain connection URL, so a `hookline` process can use the database as well as in-process stores.
/// Drop it with `drop()` (connections still open are terminated), or use `withStore` / `withDatabase`.
struct PostgresTestDatabase: Sendable {
    /// The database's name.
    let name: String
    /// Its parsed URL.
    let parsed: PostgresURL
    /// The server's URL as configured (the database that creates and drops test databases).
    let admin: PostgresURL
    /// Its URL as text (password included), for clients and `hookline --database`.
    var url: String { parsed.urlString }

    static let logger = Logger(label: "hookline.test.postgres")

    /// Creates a new, empty database on the server of `base`; throws when no server is configured.
    static func create(on base: String? = PostgresEnvironment.url) async throws -> PostgresTestDatabase {
        guard let base else {
            throw ConformanceFailure(description: "HOOKLINE_TEST_DATABASE_URL is not set; .ci/run sets it")
        }
        let admin = try PostgresURL(base)
        let name = "hl_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        return PostgresTestDatabase(name: name, parsed: admin.with(database: name), admin: admin)
    }

    /// Drops the database, terminating connections still open to it.
    func drop() async throws {
        try await Self.withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: Self.logger)
        }
    }

    /// A store on this database with its own connection pool; run `store.client.run()` while using it.
    func makeStore() throws -> PostgresStore {
        try PostgresStore(url: url, logger: Self.logger)
    }

    /// Runs `body` with a migrated store on this database whose pool runs until `body` returns.
    func withStore<T: Sendable>(_ body: (PostgresStore) async throws -> T) async throws -> T {
        let store = try makeStore()
        return try await Self.running(store.client) {
            try await store.migrate()
            return try await body(store)
        }
    }

    /// Runs `body` with a fresh database on the server of `base`, dropped afterwards (also when `body` throws).
    static func withDatabase<T: Sendable>(
        on base: String? = PostgresEnvironment.url, _ body: (PostgresTestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await create(on: base)
        do {
            let result = try await body(database)
            try await database.drop()
            return result
        } catch {
            try? await database.drop()
            throw error
        }
    }

    /// Runs `body` with a migrated store on a fresh database, dropped afterwards.
    static func withStore<T: Sendable>(_ body: (PostgresStore) async throws -> T) async throws -> T {
        try await withDatabase { database in try await database.withStore(body) }
    }

    /// Runs `body` while `client` runs.
    static func running<T: Sendable>(_ client: PostgresClient, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    @discardableResult
    private static func withClient<T: Sendable>(_ url: PostgresURL, _ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: logger)
        return try await running(client) { try await body(client) }
    }
}
