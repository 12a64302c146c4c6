import Foundation

/// Checks an inbound request against a source's secrets; pure: no I/O, time passed in.
public protocol SignatureVerifier: Sendable {
    /// Whether `request` carries a valid credential for any of `secrets` at `now`.
    func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome
}

/// Accepts everything (scheme `none`).
public struct NoVerification: SignatureVerifier {
    /// Creates the verifier.
    public init() {}

    /// Always `skipped`.
    public func verify(_ request: InboundHTTPRequest, secrets: [String], now: Date) -> VerificationOutcome { .skipped }
}
