/// What a retention sweep removes (or would remove).
public struct RetentionSummary: Sendable, Equatable {
    /// Messages whose payload goes.
    public var payloads: Int
    /// The bytes those payloads hold.
    public var payloadBytes: Int
    /// Attempts whose response body goes.
    public var responses: Int

    /// Creates a summary.
    public init(payloads: Int, payloadBytes: Int, responses: Int) {
        self.payloads = payloads
        self.payloadBytes = payloadBytes
        self.responses = responses
    }
}
