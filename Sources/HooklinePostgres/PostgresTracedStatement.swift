import PostgresNIO

/// A statement a store session ran, with its bindings, handed to the store's logger at trace level under the
/// metadata key `statement` (tests re-run it with `EXPLAIN` to check its plan).
public struct PostgresTracedStatement: Sendable, CustomStringConvertible {
    /// The statement as sent.
    public let query: PostgresQuery

    /// Its SQL text.
    public var description: String { query.sql }
}
