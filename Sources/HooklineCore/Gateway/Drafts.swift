import Foundation

/// What a caller asks for when creating or replacing an application.
public struct ApplicationDraft: Sendable {
    /// The display name.
    public var name: String
    /// An optional unique identifier chosen by the caller.
    public var uid: String?
    /// Free-form metadata.
    public var metadata: [String: String]?
    /// Messages per second per endpoint, if limited.
    public var throttleRate: Int?

    /// Creates a draft.
    package init(name: String, uid: String? = nil, metadata: [String: String]? = nil, throttleRate: Int? = nil) {
        self.name = name
        self.uid = uid
        self.metadata = metadata
        self.throttleRate = throttleRate
    }
}

/// What a caller asks for when creating or replacing an endpoint.
public struct EndpointDraft: Sendable {
    /// Where deliveries go.
    public var url: String
    /// A description.
    public var description: String?
    /// Event types received; empty or `nil` for all.
    public var eventTypes: [String]?
    /// Channels received.
    public var channels: [String]?
    /// A `whsec_` secret; generated when absent.
    public var secret: String?
    /// Whether the endpoint starts disabled.
    public var disabled: Bool?
    /// An optional unique identifier within the application.
    public var uid: String?
    /// Free-form metadata.
    public var metadata: [String: String]?
    /// Extra headers for each delivery.
    public var headers: [String: String]?
    /// Messages per second, if limited.
    public var throttleRate: Int?
    /// Whether deliveries go one at a time in acceptance order; `nil` means no.
    package var ordered: Bool?
    /// The payload filter's wire form (see `PayloadFilter`); validated by the gateway. `nil`: no filter.
    public var payloadFilter: JSONValue?

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
public struct MessageDraft: Sendable {
    /// The event type.
    public var eventType: String
    /// The payload; must be a JSON object.
    public var payload: JSONValue
    /// The payload's exact bytes as received; when set, delivered as is instead of `payload`.
    package var rawPayload: Data?
    /// An optional id unique within the application.
    public var eventId: String?
    /// Channels to send on.
    public var channels: [String]?
    /// Tags.
    public var tags: [String]?
    /// Deliver no earlier than this time.
    public var deliverAt: Date?
    /// The priority level 0–9 (9 most urgent); `nil` means 5. See `PriorityLane`.
    public var priority: Int?

    /// Creates a draft.
    public init(
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
