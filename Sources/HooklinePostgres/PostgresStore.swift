import Foundation
import HooklineCore
import Logging
import PostgresNIO

/// The multi-node store: every Hookline node of a cluster shares one PostgreSQL database.
///
/// Claims use `FOR UPDATE SKIP LOCKED`, so nodes never lease the same delivery; leases of a crashed node
/// lapse on their own (there is no `releaseLeases`). Every transaction that makes work due or appends events
/// also sends a `hookline` notification, which `PostgresChangeFeed` turns into wake-ups on the other nodes.
///
/// The caller runs `pool.run()` for as long as the store is used (or, without outage recovery, `client.run()`),
/// and calls `migrate()` once before the first use.
package struct PostgresStore: HooklineStore {
    /// The connection pool, replaced by a fresh one when the database returns after an outage; run it
    /// (`pool.run()`) for as long as the store is used.
    package let pool: PostgresPool
    /// The client operations use now.
    package var client: PostgresClient { pool.client }
    /// Where queries log.
    let logger: Logger
    /// Applications and endpoints for routing new messages, checked at commit (`routingSnapshot`).
    let routes = PostgresRoutingCache()
    /// How long an operation may wait for a pooled connection before it fails with `unavailable`; default 5 s.
    package var connectionWait: Duration = .seconds(5)
    /// How long an operation that has a connection may run before it is abandoned as `unavailable`; default 10 s.
    package var operationTimeout: Duration = .seconds(10)
    /// How long a reader's event-order fence waits for open appenders before the read returns nothing
    /// (`completeEventHorizon`); default 1 s, `.zero` for no limit.
    package var eventFenceWait: Duration = .seconds(1)

    /// Creates a pool for a `postgres://user:password@host:port/database?sslmode=disable` URL.
    ///
    /// Throws `validation` for a malformed URL; the error never contains the password.
    package init(url: String, logger: Logger) throws {
        pool = PostgresPool(url: try PostgresURL(url), logger: logger)
        self.logger = logger
    }

    /// Applies pending migrations; safe to call from many nodes at once.
    package func migrate() async throws {
        try await run { try await PostgresMigrations.apply(client: client, logger: logger) }
    }

    /// Runs `body` on a pooled connection, outside a transaction (for reads).
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await run {
            try await leased(transaction: false, body)
        }
    }

    /// Runs `body` in one transaction; a unique violation becomes `conflict` with `conflict` as its message.
    func write<T: Sendable>(conflict: String? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await run(conflict: conflict) { try await leased(transaction: true, body) }
    }

    /// Runs `body`, which sends one writing statement, outside a transaction: the statement commits by itself. An
    /// error from the server means nothing was written; losing the connection meanwhile leaves the outcome unknown.
    func committing<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await run {
            try await leased(transaction: false, autocommit: true) { connection in
                do {
                    return try await body(PostgresSession(connection: connection, logger: logger))
                } catch let error as PSQLError where error.code != .server {
                    throw HooklineError(
                        .outcomeUnknown, "the database connection failed while a write committed; it may or may not be stored", cause: error)
                }
            }
        }
    }

    /// Runs `body`, translating database errors into `HooklineError`s; an outage starts the pool's probing.
    private func run<T: Sendable>(conflict: String? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            let translated = PostgresErrors.translate(error, conflict: conflict)
            if let failure = translated as? HooklineError, failure.code == .unavailable || failure.code == .outcomeUnknown {
                pool.reportUnavailable()
            }
            throw translated
        }
    }
}

/// Translation of PostgresNIO errors into `HooklineError`s.
enum PostgresErrors {
    /// The SQLSTATE of a unique violation.
    static let uniqueViolation = "23505"

    /// The `HooklineError` for `error`: `conflict` for unique violations when a message is given, `unavailable`
    /// for connection failures, `internalError` otherwise; a `HooklineError` passes through unchanged.
    static func translate(_ error: any Error, conflict: String? = nil) -> any Error {
        if error is CancellationError || error is HooklineError { return error }
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError ?? transaction.beginError { return translate(inner, conflict: conflict) }
            if let commit = transaction.commitError {
                return HooklineError(.unavailable, "the database failed to commit: \(summary(commit))", cause: SendableCause(commit))
            }
        }
        guard let error = error as? PSQLError else {
            // The pool gives up waiting for a connection with its own error type (ConnectionPoolError).
            if String(reflecting: type(of: error)).contains("ConnectionPool") {
                return HooklineError(.unavailable, "the database is unreachable", cause: SendableCause(error))
            }
            return HooklineError(.internalError, "database operation failed: \(String(describing: error))", cause: SendableCause(error))
        }
        if let conflict, error.serverInfo?[.sqlState] == uniqueViolation {
            return HooklineError(.conflict, conflict, cause: error)
        }
        if error.code == .server {
            // Class 08 (connection), 53 (resources) and 57 (operator intervention, e.g. a shutdown) are outages.
            let state = error.serverInfo?[.sqlState] ?? ""
            if ["08", "53", "57"].contains(where: state.hasPrefix) {
                return HooklineError(.unavailable, "the database is unavailable (\(summary(error)))", cause: error)
            }
            return HooklineError(.internalError, "database error \(summary(error))", cause: error)
        }
        return HooklineError(.unavailable, "the database is unreachable (\(error.code))", cause: error)
    }

    /// The SQLSTATE and server message of a PostgreSQL error (neither carries credentials).
    static func summary(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: type(of: error)) }
        guard let info = error.serverInfo else { return "\(error.code)" }
        return "\(info[.sqlState] ?? "?"): \(info[.message] ?? "")"
    }
}

/// Carries a non-`Sendable` error as a `cause`; only its description is kept.
struct SendableCause: Error, Sendable, CustomStringConvertible {
    /// The wrapped error's description.
    let description: String

    /// Keeps the description of `error`.
    init(_ error: any Error) {
        description = String(reflecting: error)
    }
}
