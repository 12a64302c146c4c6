import Foundation

/// A request a provider sent to an ingest URL, as verification and routing see it: raw body bytes, headers in order.
public struct InboundHTTPRequest: Sendable, Equatable {
    /// Header fields in arrival order; names lowercased.
    public var headers: [InboundHeader]
    /// The body exactly as received.
    public var body: Data

    /// Creates a request; header names are lowercased.
    public init(headers: [(String, String)], body: Data) {
        self.headers = headers.map { InboundHeader(name: $0.0.lowercased(), value: $0.1) }
        self.body = body
    }

    /// Creates a request from already-stored headers.
    public init(storedHeaders: [InboundHeader], body: Data) {
        self.headers = storedHeaders
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }

    /// The `content-type` header, if any.
    public var contentType: String? { header("content-type") }
}

/// One header field of an inbound request.
public struct InboundHeader: Sendable, Equatable, Codable {
    /// The lowercased name.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
