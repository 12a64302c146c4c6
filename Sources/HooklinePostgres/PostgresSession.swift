import Foundation
import HooklineCore
import Logging
import PostgresNIO

/// A leased connection with the store's logger: the small query vocabulary the store's methods use.
struct PostgresSession {
    /// The leased connection (in a transaction for writes).
    let connection: PostgresConnection
    /// Where queries log.
    let logger: Logger

    /// Runs `query` and returns every row.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        logger.trace("statement", metadata: ["statement": .stringConvertible(PostgresTracedStatement(query: query))])
        return try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// Runs `query` and returns its first row, if any.
    func first(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await rows(query).first
    }

    /// Runs `query` and returns the first column of its first row, if any.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        guard let row = try await first(query) else { return nil }
        return try row[0].decode(T.self)
    }

    /// Runs `query` and returns how many rows it returned (use `RETURNING 1` to count changed rows).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> Int {
        logger.trace("statement", metadata: ["statement": .stringConvertible(PostgresTracedStatement(query: query))])
        return try await connection.query(query, logger: logger).collect().count
    }

    /// Queues a `hookline` notification, delivered to listeners when the transaction commits.
    func notify(_ change: StoreChange) async throws {
        try await execute("SELECT pg_notify(\(PostgresChangeFeed.channel), \(change.rawValue))")
    }
}

extension PostgresRandomAccessRow {
    /// The value of column `name`.
    func get<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try self[name].decode(T.self)
    }

    /// The time in the milliseconds column `name`.
    func date(_ name: String) throws -> Date {
        Date(millisecondsSince1970: try get(name, as: Int64.self))
    }

    /// The time in the nullable milliseconds column `name`.
    func optionalDate(_ name: String) throws -> Date? {
        try get(name, as: Int64?.self).map(Date.init(millisecondsSince1970:))
    }
}

extension PostgresStore {
    /// Runs `body` with a session outside a transaction.
    func reading<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await read { connection in try await body(PostgresSession(connection: connection, logger: logger)) }
    }

    /// Runs `body` with a session in one transaction; unique violations become `conflict` with message `conflict`.
    @discardableResult
    func writing<T: Sendable>(conflict: String? = nil, _ body: @escaping @Sendable (PostgresSession) async throws -> T) async throws -> T {
        try await write(conflict: conflict) { connection in try await body(PostgresSession(connection: connection, logger: logger)) }
    }
}

/// JSON text columns: maps and documents the store stores but never queries.
enum JSONText {
    /// The JSON text of `value`.
    static func encode<T: Encodable>(_ value: T) -> String {
        guard let data = try? JSONEncoder().encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The JSON text of `value`, or `nil` for `nil`.
    static func encode<T: Encodable>(_ value: T?) -> String? {
        value.map { encode($0) }
    }

    /// The JSON value in `text`, read without `JSONDecoder` (event details), or `nil` when it is missing or unreadable.
    static func decode(_ type: JSONValue.Type, _ text: String?) -> JSONValue? {
        text.flatMap(JSONValue.parse)
    }

    /// The list of strings in `text`, read without `JSONDecoder` (channels, tags), or `nil` when missing or unreadable.
    static func decode(_ type: [String].Type, _ text: String?) -> [String]? {
        text.flatMap(JSONValue.parseStrings)
    }

    /// The value in `text`, or `nil` when it is missing or unreadable.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension String {
    /// The string without NUL characters, which PostgreSQL text cannot hold (each becomes U+FFFD).
    var withoutNUL: String {
        // A byte scan: `contains("\u{0}")` goes through Foundation's locale-aware search, and every event's kind takes this path.
        utf8.contains(0) ? replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : self
    }
}

/// A statement a store session ran, with its bindings, handed to the store's logger at trace level under the
/// metadata key `statement` (tests re-run it with `EXPLAIN` to check its plan).
package struct PostgresTracedStatement: Sendable, CustomStringConvertible {
    /// The statement as sent.
    package let query: PostgresQuery

    /// Its SQL text.
    package var description: String { query.sql }
}
