import Foundation

/// A kept response of a POST, found again by its scoped idempotency key until it expires.
public struct IdempotencyRecord: Sendable, Equatable {
    /// The digest of credentials, method, URL and the caller's key.
    public var key: String
    /// The response to replay.
    public var response: IdempotentResponse
    /// When the first request completed.
    public var createdAt: Date
    /// When the key may be used afresh.
    public var expiresAt: Date

    /// Creates a record.
    public init(key: String, response: IdempotentResponse, createdAt: Date, expiresAt: Date) {
        self.key = key
        self.response = response
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
