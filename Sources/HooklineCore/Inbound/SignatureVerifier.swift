import Foundation

/// Checks an inbound request against a source's secrets; pure: no I/O, time passed in.
package protocol SignatureVerifier: Sendable {
    /// Whether `request` carries a valid credential for any of `secrets` at `now`.
    func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome
}

/// Accepts everything (scheme `none`).
package struct NoVerification: SignatureVerifier {
    /// Creates the verifier.
    package init() {}

    /// Always `skipped`.
    package func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome { .skipped }
}

/// What checking an inbound request's credentials concluded.
package enum VerificationOutcome: Sendable, Equatable {
    /// The signature or credential matched one of the source's secrets.
    case verified
    /// The source checks nothing (scheme `none`).
    case skipped
    /// The check failed; the reason is safe to return to the sender.
    case failed(String)

    /// Whether the request may be accepted.
    package var isAccepted: Bool {
        if case .failed = self { return false }
        return true
    }

    /// The stored and listed form: `verified`, `skipped` or `failed`.
    package var label: String {
        switch self {
        case .verified: "verified"
        case .skipped: "skipped"
        case .failed: "failed"
        }
    }

    /// The failure reason, if any.
    package var reason: String? {
        if case .failed(let reason) = self { return reason }
        return nil
    }

    /// Rebuilds an outcome from its stored label and reason.
    package init(label: String, reason: String?) {
        switch label {
        case "verified": self = .verified
        case "skipped": self = .skipped
        default: self = .failed(reason ?? "verification failed")
        }
    }
}

/// A credential sent as is: HTTP basic auth (secret `user:password`) or a static token in a header.
package struct CredentialVerifier: SignatureVerifier {
    /// Where the credential is.
    package enum Style: Sendable, Equatable {
        /// `Authorization: Basic base64(user:password)`.
        case basicAuth
        /// The header's value equals the secret (or `Bearer <secret>`).
        case headerToken(header: String)
    }

    /// Where the credential is.
    package var style: Style

    /// Creates a verifier of `style`.
    package init(style: Style) {
        self.style = style
    }

    /// Compares the presented credential with each secret in constant time.
    package func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome {
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
