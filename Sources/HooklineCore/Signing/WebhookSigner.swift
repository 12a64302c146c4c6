import Crypto
import Foundation

/// Signs outbound deliveries per Standard Webhooks 1.0 (`v1,<base64 HMAC-SHA256>`).
package struct WebhookSigner: Sendable {
    /// Creates a signer.
    package init() {}

    /// The `webhook-signature` value for `body` sent as message `id` at `timestamp`, one entry per secret.
    package func signature(id: String, timestamp: Int64, body: some DataProtocol, secrets: [EndpointSecret]) -> String {
        // The signed content is `id.timestamp.body`, fed in two parts so the body is not copied.
        let prefix = Array("\(id).\(timestamp).".utf8)
        return secrets.map { secret in
            var mac = secret.keyedMAC
            mac.update(data: prefix)
            mac.update(data: body)
            return "v1," + Data(mac.finalize()).base64EncodedString()
        }.joined(separator: " ")
    }
}

/// A Standard Webhooks signing secret: `whsec_` followed by base64 key bytes.
package struct EndpointSecret: Sendable, Equatable, CustomStringConvertible {
    /// The prefix every secret carries.
    package static let prefix = "whsec_"

    /// The full secret string, `whsec_…`.
    package let encoded: String
    /// The raw HMAC key bytes.
    package let key: [UInt8]

    /// Parses a `whsec_` secret whose key is 24 to 64 bytes.
    package init(_ encoded: String) throws {
        guard encoded.hasPrefix(Self.prefix),
            let data = Data(base64Encoded: String(encoded.dropFirst(Self.prefix.count))),
            (24...64).contains(data.count)
        else {
            throw HooklineError.invalid(
                "secret", message: "secret must be 'whsec_' followed by base64 of 24 to 64 bytes")
        }
        self.encoded = encoded
        self.key = Array(data)
        self.keyedMAC = HMAC<SHA256>(key: SymmetricKey(data: data))
    }

    /// HMAC-SHA256 with this key and nothing fed yet: each signature starts from a copy, not from the key.
    let keyedMAC: HMAC<SHA256>

    /// Secrets are equal when their text is.
    package static func == (lhs: EndpointSecret, rhs: EndpointSecret) -> Bool { lhs.encoded == rhs.encoded }

    /// A new secret of 24 random bytes.
    package static func random() -> EndpointSecret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        // A freshly generated key always parses.
        return try! EndpointSecret(prefix + Data(bytes).base64EncodedString())
    }

    /// Never reveals the key.
    package var description: String { "whsec_***" }
}

extension Endpoint {
    /// The secrets that sign a delivery at `time`: the current one, then retired ones still in their grace period.
    package func signingSecrets(at time: Date) -> [EndpointSecret] {
        [secret] + previousSecrets.filter { $0.expiresAt > time }.map(\.secret)
    }

    /// Makes `newSecret` current; the old one keeps signing until `now + gracePeriod` (not at all when zero).
    package mutating func rotateSecret(to newSecret: EndpointSecret, gracePeriod: Duration, now: Date) {
        var retired = previousSecrets.filter { $0.expiresAt > now }
        if gracePeriod > .zero {
            retired.insert(RetiredSecret(secret: secret, expiresAt: now.adding(gracePeriod)), at: 0)
        }
        secret = newSecret
        previousSecrets = Array(retired.prefix(Self.maxRetiredSecrets))
    }

    /// The most retired secrets kept signing at once.
    package static let maxRetiredSecrets = 4
}
