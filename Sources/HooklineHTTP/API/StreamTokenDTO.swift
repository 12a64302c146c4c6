import Foundation

/// The body of `POST /api/v1/stream/token`.
struct StreamTokenIn: Decodable {
    var appId: String?
    var ttlSeconds: Int?
}

/// A stream token and when it expires.
struct StreamTokenOut: Encodable {
    var token: String
    var appId: String?
    var expiresAt: Date
}
