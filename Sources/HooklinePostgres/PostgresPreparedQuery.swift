import Logging
import PostgresNIO

/// A hot statement whose text never changes (only its bindings do), kept prepared on each connection so PostgreSQL
/// parses it once per connection and can reuse its plan instead of planning every execution.
protocol PostgresPreparedKind {
    /// The statement's name on each connection (unique among the kinds, and under PostgreSQL's 63 bytes: longer names
    /// are cut there, so two long names could collide).
    static var name: String { get }
    /// The statement's text, as the store's query builds it.
    static var sql: String { get }
}

/// One execution of a `PostgresPreparedKind` statement with its bindings.
struct PostgresPreparedQuery<Kind: PostgresPreparedKind>: PostgresPreparedStatement {
    /// The rows come back undecoded.
    typealias Row = PostgresRow

    /// The statement's name on the connection.
    static var name: String { Kind.name }

    /// The statement's text.
    static var sql: String { Kind.sql }

    /// The query built for this execution (its text equals `Kind.sql`).
    let query: PostgresQuery

    /// The execution's bindings.
    func makeBindings() -> PostgresBindings { query.binds }

    /// The row as received.
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

extension PostgresSession {
    /// Runs `query`, whose text is `Kind.sql`, as the connection's prepared statement of that kind (prepared on
    /// first use), and returns every row. A query whose text differs runs unprepared.
    func rows<Kind: PostgresPreparedKind>(prepared kind: Kind.Type, _ query: PostgresQuery) async throws -> [PostgresRow] {
        logger.trace("statement", metadata: ["statement": .stringConvertible(PostgresTracedStatement(query: query))])
        guard query.sql == Kind.sql else { return try await connection.query(query, logger: logger).collect() }
        var rows: [PostgresRow] = []
        for try await row in try await connection.execute(PostgresPreparedQuery<Kind>(query: query), logger: logger) {
            rows.append(row)
        }
        return rows
    }
}
