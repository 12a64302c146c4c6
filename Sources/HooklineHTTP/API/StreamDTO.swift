import Foundation
import HooklineCore

/// The JSON `data:` of a stream event: `id`, `type`, `timestamp` (ISO 8601, milliseconds), then `appId`, `msgId`,
/// `endpointId`, `eventType`, `channels` when the event has them, and `data` (the kind's details). Written directly:
/// every event goes to every watching client, and `JSONEncoder` made a stream client cost more than the deliveries.
enum StreamEventOut {
    /// The JSON text of `event`.
    static func text(_ event: StreamEvent) -> String {
        let draft = event.draft
        var writer = JSONObjectWriter(capacity: 256)
        writer.member("id", event.id)
        writer.member("type", draft.kind.rawValue)
        writer.member("timestamp", MillisecondTimestamp.iso8601(draft.createdAt.millisecondsSince1970))
        writer.member("appId", draft.appId)
        writer.member("msgId", draft.messageId)
        writer.member("endpointId", draft.endpointId)
        writer.member("eventType", draft.eventType)
        writer.member("channels", draft.channels)
        writer.member("data", draft.details)
        return writer.text()
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
