import Crypto
import Foundation

/// Standard Webhooks / Svix: `webhook-id`, `webhook-timestamp`, `webhook-signature` (or the `svix-*` set).
///
/// Signed content `{id}.{timestamp}.{body}`; key = base64 after `whsec_`; entries `v1,<base64>`
/// separated by spaces (any may match; other versions are ignored).
package struct StandardWebhooksVerifier: SignatureVerifier {
    /// How far the timestamp may be from now, either way.
    package var tolerance: TimeInterval

    /// Creates a verifier; default tolerance 5 minutes.
    package init(tolerance: TimeInterval = 300) {
        self.tolerance = tolerance
    }

    /// Verifies the signature headers against each secret.
    package func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome {
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
    package static func key(_ secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix(EndpointSecret.prefix) ? String(secret.dropFirst(EndpointSecret.prefix.count)) : secret
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else { return nil }
        return Array(data)
    }
}

/// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]`, HMAC-SHA256 over `<t>.<body>`.
///
/// The key is the UTF-8 bytes of the whole secret, `whsec_` included (not base64-decoded).
package struct StripeVerifier: SignatureVerifier {
    /// How far `t` may be from now.
    package var tolerance: TimeInterval

    /// Creates a verifier; default tolerance 300 s.
    package init(tolerance: TimeInterval = 300) {
        self.tolerance = tolerance
    }

    /// Verifies `Stripe-Signature` against each secret.
    package func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome {
        guard let header = request.header("stripe-signature") else { return .failed("missing Stripe-Signature header") }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for item in header.split(separator: ",") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let bytes = SignatureEncoding.hex.decode(String(pair[1])) { signatures.append(bytes) }
        }
        guard let timestamp else { return .failed("malformed Stripe-Signature header: no timestamp") }
        guard !signatures.isEmpty else { return .failed("malformed Stripe-Signature header: no v1 signature") }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else {
            return .failed("timestamp outside the tolerance")
        }
        var content = Data("\(timestamp).".utf8)
        content.append(request.body)
        for secret in secrets {
            let expected = Array(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: Array(secret.utf8))))
            var matched = false
            for signature in signatures { matched = ConstantTime.equal(expected, signature) || matched }
            if matched { return .verified }
        }
        return .failed("signature mismatch")
    }
}
