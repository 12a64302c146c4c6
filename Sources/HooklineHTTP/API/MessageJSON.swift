import Foundation
import HooklineCore
import Hummingbird
import NIOCore

/// Message and attempt lists as the API returns them (Svix `ListMessageOut`, `ListEndpointMessageOut`,
/// `ListMessageAttemptOut`), written without Foundation's JSON coders: each payload is spliced as its stored
/// bytes, never decoded and encoded again.
enum MessageJSON {
    /// The bytes the API shows as a message's `payload`: the stored JSON object, or `{}` when content is not
    /// asked for, when it was purged, or when an inbound message's body is not a JSON object (a form, text).
    static func payload(_ message: Message, withContent: Bool) -> Data {
        guard withContent, !message.payload.isEmpty else { return emptyObject }
        // API messages are checked to be an object when created; an inbound message keeps its provider's body.
        guard message.contentType != nil else { return message.payload }
        let isObject = message.payload.withUnsafeBytes { JSONObjectScan($0) != nil }
        return isObject ? message.payload : emptyObject
    }

    /// A page of messages.
    static func list(_ page: Page<Message>, withContent: Bool) -> Response {
        list(page) { message in object(message, withContent: withContent).utf8() }
    }

    /// A page of an endpoint's messages, each with that delivery's status.
    static func list(_ page: Page<EndpointMessage>, withContent: Bool) -> Response {
        list(page) { item in
            var writer = object(item.message, withContent: withContent)
            let status = item.delivery.state.svixStatus
            writer.member("status", Int64(status.rawValue))
            writer.member("statusText", status.text)
            if item.delivery.state == .pending {
                writer.member("nextAttempt", MillisecondTimestamp.iso8601(item.delivery.nextAttemptAt.millisecondsSince1970))
            }
            return writer.utf8()
        }
    }

    /// A page of attempts, each with `MessageAttemptOut`'s members.
    static func list(_ page: Page<Attempt>) -> Response {
        list(page) { attempt in
            var writer = JSONObjectWriter(capacity: 320 + attempt.response.utf8.count)
            writer.member("id", attempt.id)
            writer.member("url", attempt.url)
            writer.member("response", attempt.response)
            writer.member("responseStatusCode", Int64(attempt.responseStatusCode))
            writer.member("responseDurationMs", Int64(attempt.durationMs))
            writer.member("status", Int64(attempt.status.rawValue))
            writer.member("statusText", attempt.status.text)
            writer.member("triggerType", Int64(attempt.trigger.rawValue))
            writer.member("msgId", attempt.messageId)
            writer.member("endpointId", attempt.endpointId)
            writer.member("timestamp", MillisecondTimestamp.iso8601(attempt.timestamp.millisecondsSince1970))
            return writer.utf8()
        }
    }

    /// `message`'s members in `MessageOut`'s order, its payload spliced in.
    static func object(_ message: Message, withContent: Bool) -> JSONObjectWriter {
        let payload = payload(message, withContent: withContent)
        var writer = JSONObjectWriter(capacity: 200 + payload.count)
        writer.member("id", message.id)
        writer.member("eventType", message.eventType)
        writer.member("eventId", message.eventId)
        writer.member("payload", json: payload)
        writer.member("channels", message.channels.nonEmpty)
        writer.member("tags", message.tags.nonEmpty)
        writer.member("timestamp", MillisecondTimestamp.iso8601(message.createdAt.millisecondsSince1970))
        writer.member("correlationId", message.correlationId)
        writer.member("priority", Int64(message.priority))
        return writer
    }

    private static let emptyObject = Data("{}".utf8)

    /// `ListOut`'s envelope around the items `item` writes.
    private static func list<Item>(_ page: Page<Item>, item: (Item) -> [UInt8]) -> Response {
        let items = page.items.map(item)
        var envelope = JSONObjectWriter(capacity: items.reduce(96) { $0 + $1.count + 1 })
        envelope.member("data", jsonItems: items)
        envelope.member("iterator", orNull: page.iterator)
        envelope.member("prevIterator", orNull: page.prevIterator)
        envelope.member("done", page.done)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: envelope.utf8())))
    }
}
