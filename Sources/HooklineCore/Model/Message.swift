import Foundation

/// An event sent to an application, stored once and delivered to every matching endpoint.
public struct Message: Sendable, Equatable {
    /// The `msg_` identifier; also the `webhook-id` of every delivery.
    public var id: String
    /// The owning application's identifier.
    public var appId: String
    /// The event type, e.g. `invoice.paid`.
    public var eventType: String
    /// A caller-chosen identifier, unique within the application.
    public var eventId: String?
    /// The JSON payload exactly as delivered.
    public var payload: Data
    /// Channels the message is sent on.
    public var channels: [String]?
    /// Tags for filtering.
    public var tags: [String]?
    /// When the message was accepted.
    public var createdAt: Date
    /// The payload's media type when it is not JSON (inbound messages forward the provider's).
    public var contentType: String? = nil
    /// An id that ties messages of one workflow together (inbound sources may set it).
    public var correlationId: String? = nil
    /// How urgent it is: 0 (least) … 9 (most), default 5; see `PriorityLane`.
    public var priority: Int = PriorityLane.normal.level

    /// Creates a message value.
    public init(
        id: String, appId: String, eventType: String, eventId: String?, payload: Data, channels: [String]?,
        tags: [String]?, createdAt: Date, contentType: String? = nil, correlationId: String? = nil,
        priority: Int = PriorityLane.normal.level
    ) {
        self.id = id
        self.appId = appId
        self.eventType = eventType
        self.eventId = eventId
        self.payload = payload
        self.channels = channels
        self.tags = tags
        self.createdAt = createdAt
        self.contentType = contentType
        self.correlationId = correlationId
        self.priority = priority
    }
}
