import Foundation

/// An event to append to the durable log; the store assigns its id at commit.
public struct EventDraft: Sendable, Equatable {
    /// What happened.
    public var kind: EventKind
    /// The application it concerns, if any.
    public var appId: String?
    /// The message it concerns, if any.
    public var messageId: String?
    /// The endpoint it concerns, if any.
    public var endpointId: String?
    /// The message's event type, for filtering.
    public var eventType: String?
    /// The message's channels, for filtering.
    public var channels: [String]?
    /// Accepted → 2xx in milliseconds, for `delivery.succeeded`.
    public var latencyMs: Int64?
    /// Kind-specific details, a JSON object.
    public var details: JSONValue
    /// When it happened.
    public var createdAt: Date

    /// Creates a draft.
    public init(
        kind: EventKind, appId: String? = nil, messageId: String? = nil, endpointId: String? = nil, eventType: String? = nil,
        channels: [String]? = nil, latencyMs: Int64? = nil, details: JSONValue = .object([:]), createdAt: Date
    ) {
        self.kind = kind
        self.appId = appId
        self.messageId = messageId
        self.endpointId = endpointId
        self.eventType = eventType
        self.channels = channels
        self.latencyMs = latencyMs
        self.details = details
        self.createdAt = createdAt
    }
}
