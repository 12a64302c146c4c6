import Foundation
import HooklineCore

/// The JSON `data:` of a stream event.
struct StreamEventOut: Encodable {
    var id: Int64
    var type: String
    var timestamp: Date
    var appId: String?
    var msgId: String?
    var endpointId: String?
    var eventType: String?
    var channels: [String]?
    var data: JSONValue

    init(_ event: StreamEvent) {
        let draft = event.draft
        id = event.id
        type = draft.kind.rawValue
        timestamp = draft.createdAt
        appId = draft.appId
        msgId = draft.messageId
        endpointId = draft.endpointId
        eventType = draft.eventType
        channels = draft.channels
        data = draft.details
    }
}

/// The body of `POST /api/v1/stream/token`.
struct StreamTokenIn: Decodable {
    var appId: String?
    var ttlSeconds: Int?
}

/// A stream token and when it expires.
struct StreamTokenOut: Encodable {
    var token: String
    var appId: String?
    var expiresAt: Date
}
