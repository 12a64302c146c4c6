import Crypto
import Foundation

/// Signs outbound deliveries per Standard Webhooks 1.0 (`v1,<base64 HMAC-SHA256>`).
public struct WebhookSigner: Sendable {
    /// Creates a signer.
    public init() {}

    /// The `webhook-signature` value for `body` sent as message `id` at `timestamp`, one entry per secret.
    public func signature(id: String, timestamp: Int64, body: some DataProtocol, secrets: [EndpointSecret]) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return secrets.map { secret in
            let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: secret.key))
            return "v1," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }
}
