import Foundation

/// A credential sent as is: HTTP basic auth (secret `user:password`) or a static token in a header.
public struct CredentialVerifier: SignatureVerifier {
    /// Where the credential is.
    public enum Style: Sendable, Equatable {
        /// `Authorization: Basic base64(user:password)`.
        case basicAuth
        /// The header's value equals the secret (or `Bearer <secret>`).
        case headerToken(header: String)
    }

    /// Where the credential is.
    public var style: Style

    /// Creates a verifier of `style`.
    public init(style: Style) {
        self.style = style
    }

    /// Compares the presented credential with each secret in constant time.
    public func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome {
        let presented: [UInt8]
        switch style {
        case .basicAuth:
            guard let header = request.header("authorization"), header.lowercased().hasPrefix("basic "),
                let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces))
            else {
                return .failed("missing or malformed basic authorization")
            }
            presented = Array(decoded)
        case .headerToken(let name):
            guard var value = request.header(name) else { return .failed("missing \(name) header") }
            if value.hasPrefix("Bearer ") { value = String(value.dropFirst(7)) }
            presented = Array(value.utf8)
        }
        var matched = false
        for secret in secrets { matched = ConstantTime.equal(Array(secret.utf8), presented) || matched }
        return matched ? .verified : .failed("invalid credentials")
    }
}
