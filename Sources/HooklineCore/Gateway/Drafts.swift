import Foundation

/// What a caller asks for when creating or replacing an application.
package struct ApplicationDraft: Sendable {
    /// The display name.
    package var name: String
    /// An optional unique identifier chosen by the caller.
    package var uid: String?
    /// Free-form metadata.
    package var metadata: [String: String]?
    /// Messages per second per endpoint, if limited.
    package var throttleRate: Int?

    /// Creates a draft.
    package init(name: String, uid: String? = nil, metadata: [String: String]? = nil, throttleRate: Int? = nil) {
        self.name = name
        self.uid = uid
        self.metadata = metadata
        self.throttleRate = throttleRate
    }
}

/// What a caller asks for when creating or replacing an endpoint.
package struct EndpointDraft: Sendable {
    /// Where deliveries go.
    package var url: String
    /// A description.
    package var description: String?
    /// Event types received; empty or `nil` for all.
    package var eventTypes: [String]?
    /// Channels received.
    package var channels: [String]?
    /// A `whsec_` secret; generated when absent.
    package var secret: String?
    /// Whether the endpoint starts disabled.
    package var disabled: Bool?
    /// An optional unique identifier within the application.
    package var uid: String?
    /// Free-form metadata.
    package var metadata: [String: String]?
    /// Extra headers for each delivery.
    package var headers: [String: String]?
    /// Messages per second, if limited.
    package var throttleRate: Int?
    /// Whether deliveries go one at a time in acceptance order; `nil` means no.
    package var ordered: Bool?
    /// The payload filter's wire form (see `PayloadFilter`); validated by the gateway. `nil`: no filter.
    package var payloadFilter: JSONValue?

    /// Creates a draft.
    package init(
        url: String, description: String? = nil, eventTypes: [String]? = nil, channels: [String]? = nil,
        secret: String? = nil, disabled: Bool? = nil, uid: String? = nil, metadata: [String: String]? = nil,
        headers: [String: String]? = nil, throttleRate: Int? = nil, payloadFilter: JSONValue? = nil
    ) {
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.channels = channels
        self.secret = secret
        self.disabled = disabled
        self.uid = uid
        self.metadata = metadata
        self.headers = headers
        self.throttleRate = throttleRate
        self.payloadFilter = payloadFilter
    }
}

/// What a caller asks for when sending a message.
package struct MessageDraft: Sendable {
    /// The event type.
    package var eventType: String
    /// The payload; must be a JSON object.
    package var payload: JSONValue
    /// The payload's exact bytes as received; when set, delivered as is instead of `payload`.
    package var rawPayload: Data?
    /// An optional id unique within the application.
    package var eventId: String?
    /// Channels to send on.
    package var channels: [String]?
    /// Tags.
    package var tags: [String]?
    /// Deliver no earlier than this time.
    package var deliverAt: Date?
    /// The priority level 0–9 (9 most urgent); `nil` means 5. See `PriorityLane`.
    package var priority: Int?

    /// Creates a draft.
    package init(
        eventType: String, payload: JSONValue, eventId: String? = nil, channels: [String]? = nil,
        tags: [String]? = nil, deliverAt: Date? = nil
    ) {
        self.eventType = eventType
        self.payload = payload
        self.eventId = eventId
        self.channels = channels
        self.tags = tags
        self.deliverAt = deliverAt
    }
}
