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
}
