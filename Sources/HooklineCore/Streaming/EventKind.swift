/// What an event in the durable event log reports, e.g. `message.created`.
public struct EventKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The wire name, used as the SSE `event:` field.
    public let rawValue: String

    /// Wraps a wire name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A message was accepted and committed with its delivery rows.
    public static let messageCreated = EventKind(rawValue: "message.created")
    /// An HTTP attempt was made and recorded (any outcome).
    public static let attemptMade = EventKind(rawValue: "attempt.made")
    /// A delivery reached a 2xx.
    public static let deliverySucceeded = EventKind(rawValue: "delivery.succeeded")
    /// An attempt failed and the delivery is scheduled for a retry.
    public static let deliveryFailed = EventKind(rawValue: "delivery.failed")
    /// A delivery exhausted its schedule (or got 410) and is now a dead letter.
    public static let deliveryExhausted = EventKind(rawValue: "delivery.exhausted")
    /// A delivery was dropped because its endpoint is gone or disabled.
    public static let deliveryCanceled = EventKind(rawValue: "delivery.canceled")
    /// An endpoint was disabled (it answered 410 Gone, or through the API).
    public static let endpointDisabled = EventKind(rawValue: "endpoint.disabled")
    /// An endpoint was enabled again through the API.
    public static let endpointEnabled = EventKind(rawValue: "endpoint.enabled")

    /// The kinds Hookline itself appends.
    public static let all: [EventKind] = [
        .messageCreated, .attemptMade, .deliverySucceeded, .deliveryFailed, .deliveryExhausted, .deliveryCanceled, .endpointDisabled,
        .endpointEnabled,
    ]

    /// The wire name.
    public var description: String { rawValue }

    /// Decodes the wire name.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the wire name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
