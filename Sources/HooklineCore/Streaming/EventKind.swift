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
    /// A delivery was dropped because its endpoint is gone.
    public static let deliveryCanceled = EventKind(rawValue: "delivery.canceled")
    /// A claimed delivery was set aside (`skipped`) because its endpoint is disabled.
    public static let deliverySkipped = EventKind(rawValue: "delivery.skipped")
    /// An endpoint was disabled (it answered 410 Gone, it kept failing, or through the API).
    public static let endpointDisabled = EventKind(rawValue: "endpoint.disabled")
    /// An endpoint was enabled again through the API.
    public static let endpointEnabled = EventKind(rawValue: "endpoint.enabled")
    /// A message's payload was expunged through the API (its unfinished deliveries are canceled with it).
    public static let messageExpunged = EventKind(rawValue: "message.expunged")
    /// An attempt's response body was expunged through the API.
    public static let attemptExpunged = EventKind(rawValue: "attempt.expunged")
    /// Operational: a delivery exhausted its retries (Svix `message.attempt.exhausted`).
    public static let messageAttemptExhausted = EventKind(rawValue: "message.attempt.exhausted")
    /// Operational: a delivery failed its 4th attempt (Svix `message.attempt.failing`).
    public static let messageAttemptFailing = EventKind(rawValue: "message.attempt.failing")
    /// Operational: a delivery succeeded after a `message.attempt.failing` notice (Svix `message.attempt.recovered`).
    public static let messageAttemptRecovered = EventKind(rawValue: "message.attempt.recovered")

    /// The kinds Hookline itself appends.
    public static let all: [EventKind] = [
        .messageCreated, .attemptMade, .deliverySucceeded, .deliveryFailed, .deliveryExhausted, .deliveryCanceled, .deliverySkipped,
        .endpointDisabled, .endpointEnabled, .messageAttemptExhausted, .messageAttemptFailing, .messageAttemptRecovered,
        .messageExpunged, .attemptExpunged,
    ]

    /// The kinds posted to the operational webhook, named as Svix's operational webhooks.
    public static let operational: Set<EventKind> = [
        .messageAttemptExhausted, .messageAttemptFailing, .messageAttemptRecovered, .endpointDisabled, .endpointEnabled,
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
