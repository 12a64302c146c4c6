import Foundation

/// A Standard Webhooks signing secret: `whsec_` followed by base64 key bytes.
public struct EndpointSecret: Sendable, Equatable, CustomStringConvertible {
    /// The prefix every secret carries.
    public static let prefix = "whsec_"

    /// The full secret string, `whsec_…`.
    public let encoded: String
    /// The raw HMAC key bytes.
    public let key: [UInt8]

    /// Parses a `whsec_` secret whose key is 24 to 64 bytes.
    public init(_ encoded: String) throws {
        guard encoded.hasPrefix(Self.prefix),
            let data = Data(base64Encoded: String(encoded.dropFirst(Self.prefix.count))),
            (24...64).contains(data.count)
        else {
            throw HooklineError.invalid(
                "secret", message: "secret must be 'whsec_' followed by base64 of 24 to 64 bytes")
        }
        self.encoded = encoded
        self.key = Array(data)
    }

    /// A new secret of 24 random bytes.
    public static func random() -> EndpointSecret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        // A freshly generated key always parses.
        return try! EndpointSecret(prefix + Data(bytes).base64EncodedString())
    }

    /// Never reveals the key.
    public var description: String { "whsec_***" }
}
