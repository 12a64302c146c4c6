/// The answer to a provider whose request was stored.
public struct InboundAck: Sendable, Equatable {
    /// The stored request's `inreq_` id.
    public var requestId: String
    /// Whether it repeated an event id seen within the window (and will not be routed again).
    public var duplicate: Bool
    /// The status to answer with (the source's `ackStatus`).
    public var status: Int
    /// The body to answer with; `nil` for the default JSON.
    public var body: String?

    /// Creates an acknowledgement.
    public init(requestId: String, duplicate: Bool, status: Int, body: String?) {
        self.requestId = requestId
        self.duplicate = duplicate
        self.status = status
        self.body = body
    }
}
