import Foundation
import HooklineCore

/// The body of a message create call; the payload is only checked to be an object here and is
/// taken byte for byte from the body.
struct MessageIn: Decodable {
    /// Accepts any JSON object without building it.
    struct ObjectShape: Decodable {
        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            _ = try decoder.container(keyedBy: AnyKey.self)
        }
    }

    var eventType: String
    var payload: ObjectShape
    var eventId: String?
    var channels: [String]?
    var tags: [String]?
    var deliverAt: Date?
    /// An integer 0–9 or `"high"`/`"normal"`/`"low"`; checked by `Validation.priority`.
    var priority: JSONValue?

    /// The draft for this body, whose raw bytes are `body`.
    func draft(body: Data) throws -> MessageDraft {
        guard let raw = RawJSON.member("payload", in: body) else {
            throw HooklineError.invalid("payload", message: "payload must be a JSON object")
        }
        var draft = MessageDraft(eventType: eventType, payload: .object([:]), eventId: eventId, channels: channels, tags: tags, deliverAt: deliverAt)
        draft.rawPayload = raw
        draft.priority = try Validation.priority(priority)
        return draft
    }
}

/// A message as the API returns it, without its payload: `JSONCoding.response(_:_:payload:)` splices the payload's
/// bytes in (`MessageJSON.payload`), and lists are written by `MessageJSON`.
struct MessageOut: Encodable {
    var id: String
    var eventType: String
    var eventId: String?
    var channels: [String]?
    var tags: [String]?
    var timestamp: Date
    var correlationId: String?
    var priority: Int

    init(_ message: Message) {
        id = message.id
        eventType = message.eventType
        eventId = message.eventId
        channels = message.channels.nonEmpty
        tags = message.tags.nonEmpty
        timestamp = message.createdAt
        correlationId = message.correlationId
        priority = message.priority
    }
}

/// A delivery attempt as the API returns it.
struct MessageAttemptOut: Encodable {
    var id: String
    var url: String
    var response: String
    var responseStatusCode: Int
    var responseDurationMs: Int
    var status: Int
    var statusText: String
    var triggerType: Int
    var msgId: String
    var endpointId: String
    var timestamp: Date

    init(_ attempt: Attempt) {
        id = attempt.id
        url = attempt.url
        response = attempt.response
        responseStatusCode = attempt.responseStatusCode
        responseDurationMs = attempt.durationMs
        status = attempt.status.rawValue
        statusText = attempt.status.text
        triggerType = attempt.trigger.rawValue
        msgId = attempt.messageId
        endpointId = attempt.endpointId
        timestamp = attempt.timestamp
    }
}

/// An endpoint a message was routed to, with that delivery's status (Svix `MessageEndpointOut`).
struct MessageEndpointOut: Encodable {
    var endpoint: EndpointOut
    var status: Int
    var statusText: String
    var nextAttempt: Date?

    init(_ destination: MessageDestination) {
        endpoint = EndpointOut(destination.endpoint)
        let status = destination.delivery.state.svixStatus
        self.status = status.rawValue
        statusText = status.text
        nextAttempt = destination.delivery.state == .pending ? destination.delivery.nextAttemptAt : nil
    }

    enum CodingKeys: String, CodingKey { case status, statusText, nextAttempt }

    func encode(to encoder: any Encoder) throws {
        try endpoint.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(statusText, forKey: .statusText)
        try container.encode(nextAttempt, forKey: .nextAttempt)
    }
}
