import Foundation

/// A response as an idempotency key replays it: status, content type and the exact body bytes.
public struct IdempotentResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The `content-type`, if any.
    public var contentType: String?
    /// The body, byte for byte.
    public var body: Data

    /// Creates a response value.
    public init(status: Int, contentType: String?, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// Whether the response is a 2xx, the only kind that is kept.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

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
