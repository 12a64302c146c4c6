import Crypto
import Foundation

/// Standard Webhooks / Svix: `webhook-id`, `webhook-timestamp`, `webhook-signature` (or the `svix-*` set).
///
/// Signed content `{id}.{timestamp}.{body}`; key = base64 after `whsec_`; entries `v1,<base64>`
/// separated by spaces (any may match; other versions are ignored).
public struct StandardWebhooksVerifier: SignatureVerifier {
    /// How far the timestamp may be from now, either way.
    public var tolerance: TimeInterval

    /// Creates a verifier; default tolerance 5 minutes.
    public init(tolerance: TimeInterval = 300) {
        self.tolerance = tolerance
    }

    /// Verifies the signature headers against each secret.
    public func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome {
        let set = request.header("webhook-id") != nil ? "webhook" : "svix"
        guard let id = request.header("\(set)-id"), let timestampText = request.header("\(set)-timestamp"),
            let signatures = request.header("\(set)-signature")
        else {
            return .failed("missing webhook-id, webhook-timestamp or webhook-signature header")
        }
        guard let timestamp = Int64(timestampText.trimmingCharacters(in: .whitespaces)) else {
            return .failed("malformed \(set)-timestamp header")
        }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else {
            return .failed("timestamp outside the tolerance")
        }
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(request.body)
        let presented = signatures.split(separator: " ").compactMap { entry -> [UInt8]? in
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { return nil }
            return Data(base64Encoded: String(parts[1])).map(Array.init)
        }
        for secret in secrets {
            guard let key = Self.key(secret) else { continue }
            let expected = Array(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key)))
            var matched = false
            for signature in presented { matched = ConstantTime.equal(expected, signature) || matched }
            if matched { return .verified }
        }
        return .failed("signature mismatch")
    }

    /// The HMAC key of a `whsec_` secret (the prefix is optional), or `nil` when it is not base64.
    public static func key(_ secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix(EndpointSecret.prefix) ? String(secret.dropFirst(EndpointSecret.prefix.count)) : secret
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else { return nil }
        return Array(data)
    }
}
