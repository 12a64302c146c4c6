import Foundation
import HooklineCore

/// The body of a message create call.
struct MessageIn: Decodable {
    var eventType: String
    var payload: JSONValue
    var eventId: String?
    var channels: [String]?
    var tags: [String]?
    var deliverAt: Date?

    var draft: MessageDraft {
        MessageDraft(eventType: eventType, payload: payload, eventId: eventId, channels: channels, tags: tags, deliverAt: deliverAt)
    }
}

/// A message as the API returns it.
struct MessageOut: Encodable {
    var id: String
    var eventType: String
    var eventId: String?
    var payload: JSONValue
    var channels: [String]?
    var tags: [String]?
    var timestamp: Date
    var correlationId: String?

    init(_ message: Message, withContent: Bool) {
        id = message.id
        eventType = message.eventType
        eventId = message.eventId
        payload = withContent ? ((try? JSONDecoder().decode(JSONValue.self, from: message.payload)) ?? .object([:])) : .object([:])
        channels = message.channels
        tags = message.tags
        timestamp = message.createdAt
        correlationId = message.correlationId
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

/// The body of an event type create call.
struct EventTypeIn: Decodable {
    var name: String
    var description: String
    var archived: Bool?
}

/// An event type as the API returns it.
struct EventTypeOut: Encodable {
    var name: String
    var description: String
    var archived: Bool
    var deprecated: Bool
    var createdAt: Date
    var updatedAt: Date

    init(_ eventType: EventType) {
        name = eventType.name
        description = eventType.description
        archived = eventType.archived
        deprecated = false
        createdAt = eventType.createdAt
        updatedAt = eventType.updatedAt
    }
}
