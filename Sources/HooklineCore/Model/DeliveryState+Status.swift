extension DeliveryState {
    /// The delivery state a Svix message status (the attempt status numbers) stands for.
    public init(status: AttemptStatus) {
        switch status {
        case .success: self = .succeeded
        case .pending: self = .pending
        case .fail: self = .failed
        case .sending: self = .sending
        default: self = .canceled
        }
    }

    /// The stored states a status filter for this state matches.
    ///
    /// Svix knows no `skipped` status: a skipped delivery was not delivered and `recover` re-sends it, exactly
    /// like a failed one, so it is reported (and filtered) as `fail`.
    public var matchingStoredStates: [DeliveryState] {
        self == .failed ? [.failed, .skipped] : [self]
    }
}
