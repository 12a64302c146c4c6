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
