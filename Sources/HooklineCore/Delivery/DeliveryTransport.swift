import Foundation

/// Sends one signed delivery request and reports what came back.
public protocol DeliveryTransport: Sendable {
    /// Sends `request`; never throws: failures are described in the response.
    func send(_ request: OutboundRequest) async -> TransportResponse
}

/// An HTTP POST to a subscriber endpoint.
public struct OutboundRequest: Sendable {
    /// The endpoint URL.
    public var url: String
    /// Header fields, in order.
    public var headers: [(name: String, value: String)]
    /// The exact body bytes that were signed.
    public var body: Data
    /// The deadline for the whole exchange.
    public var timeout: Duration

    /// Creates a request.
    public init(url: String, headers: [(name: String, value: String)], body: Data, timeout: Duration) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// What a delivery request produced.
public struct TransportResponse: Sendable {
    /// The HTTP status, or `nil` when no response arrived.
    public var statusCode: Int?
    /// The response body (capped), or a description of the network error.
    public var body: String
    /// The raw `Retry-After` header, if any.
    public var retryAfter: String?
    /// Whether the exchange hit its deadline.
    public var timedOut: Bool
    /// Whether the network policy refused the address before anything was sent (the body says why).
    public var refused: Bool

    /// Creates a response description.
    public init(statusCode: Int?, body: String, retryAfter: String? = nil, timedOut: Bool = false, refused: Bool = false) {
        self.statusCode = statusCode
        self.body = body
        self.retryAfter = retryAfter
        self.timedOut = timedOut
        self.refused = refused
    }

    /// Whether the receiver accepted the delivery (2xx only; redirects are failures).
    public var isSuccess: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}
