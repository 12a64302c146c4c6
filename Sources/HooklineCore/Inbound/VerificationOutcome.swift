/// What checking an inbound request's credentials concluded.
public enum VerificationOutcome: Sendable, Equatable {
    /// The signature or credential matched one of the source's secrets.
    case verified
    /// The source checks nothing (scheme `none`).
    case skipped
    /// The check failed; the reason is safe to return to the sender.
    case failed(String)

    /// Whether the request may be accepted.
    public var isAccepted: Bool {
        if case .failed = self { return false }
        return true
    }

    /// The stored and listed form: `verified`, `skipped` or `failed`.
    public var label: String {
        switch self {
        case .verified: "verified"
        case .skipped: "skipped"
        case .failed: "failed"
        }
    }

    /// The failure reason, if any.
    public var reason: String? {
        if case .failed(let reason) = self { return reason }
        return nil
    }

    /// Rebuilds an outcome from its stored label and reason.
    public init(label: String, reason: String?) {
        switch label {
        case "verified": self = .verified
        case "skipped": self = .skipped
        default: self = .failed(reason ?? "verification failed")
        }
    }
}
