import Foundation

/// An event sent to an application, stored once and delivered to every matching endpoint.
package struct Message: Sendable, Equatable {
    /// The `msg_` identifier; also the `webhook-id` of every delivery.
    package var id: String
    /// The owning application's identifier.
    package var appId: String
    /// The event type, e.g. `invoice.paid`.
    package var eventType: String
    /// A caller-chosen identifier, unique within the application.
    package var eventId: String?
    /// The JSON payload exactly as delivered.
    package var payload: Data
    /// Channels the message is sent on.
    package var channels: [String]?
    /// Tags for filtering.
    package var tags: [String]?
    /// When the message was accepted.
    package var createdAt: Date
    /// The payload's media type when it is not JSON (inbound messages forward the provider's).
    package var contentType: String? = nil
    /// An id that ties messages of one workflow together (inbound sources may set it).
    package var correlationId: String? = nil
    /// How urgent it is: 0 (least) … 9 (most), default 5; see `PriorityLane`.
    package var priority: Int = PriorityLane.normal.level

    /// Creates a message value.
    package init(
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

/// A named kind of event that messages can carry.
package struct EventType: Sendable, Equatable {
    /// The unique name, e.g. `user.created`.
    package var name: String
    /// A description.
    package var description: String
    /// Whether the type is archived.
    package var archived: Bool
    /// JSON schemas by version (`{"1": {...}}`); version `1`'s first `examples` entry is what send-example sends.
    package var schemas: JSONValue? = nil
    /// Whether the type is deprecated (still usable, flagged to consumers).
    package var deprecated: Bool = false
    /// The feature flags that gate the type (Svix `featureFlags`; its older `featureFlag` is the single one), if any.
    package var featureFlags: [String]? = nil
    /// The group the type is shown under, if any.
    package var groupName: String? = nil
    /// When the type was created.
    package var createdAt: Date
    /// When the type was last changed.
    package var updatedAt: Date

    /// Creates an event type value.
    package init(name: String, description: String, archived: Bool, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.description = description
        self.archived = archived
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
