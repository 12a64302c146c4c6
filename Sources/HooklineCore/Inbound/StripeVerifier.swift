import Crypto
import Foundation

/// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]`, HMAC-SHA256 over `<t>.<body>`.
///
/// The key is the UTF-8 bytes of the whole secret, `whsec_` included (not base64-decoded).
public struct StripeVerifier: SignatureVerifier {
    /// How far `t` may be from now.
    public var tolerance: TimeInterval

    /// Creates a verifier; default tolerance 300 s.
    public init(tolerance: TimeInterval = 300) {
        self.tolerance = tolerance
    }

    /// Verifies `Stripe-Signature` against each secret.
    public func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome {
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
