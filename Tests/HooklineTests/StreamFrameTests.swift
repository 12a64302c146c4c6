import Foundation
import HooklineCore
import Testing

@testable import HooklineHTTP

/// A stream event's `data:` text, written directly, against what the API's `JSONEncoder` wrote for it before.
@Suite struct StreamFrameTests {
    /// The event as the encoder-based rendering had it (synthesized `Encodable`, the API's date format).
    struct EncodedEvent: Encodable {
        var id: Int64
        var type: String
        var timestamp: Date
        var appId: String?
        var msgId: String?
        var endpointId: String?
        var eventType: String?
        var channels: [String]?
        var data: JSONValue
    }

    static func parsed(_ text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    @Test(arguments: [
        EventDraft(
            kind: .deliverySucceeded, appId: "app_1", messageId: "msg_1", endpointId: "ep_1", eventType: "user/created \"x\"",
            channels: ["a", "b\\c"], latencyMs: 5,
            details: .object(["attempts": .integer(1), "note": .string("é\n🎉"), "list": .array([.bool(true), .null, .number(2.5)])]),
            createdAt: Date(millisecondsSince1970: 1_700_000_000_123)),
        EventDraft(kind: .messageCreated, appId: "app_2", createdAt: Date(millisecondsSince1970: 0)),
    ])
    func matchesTheEncodedEvent(_ draft: EventDraft) throws {
        let event = StreamEvent(id: 42, draft: draft)
        let text = StreamEventOut.text(event)
        let encoded = EncodedEvent(
            id: 42, type: draft.kind.rawValue, timestamp: draft.createdAt, appId: draft.appId, msgId: draft.messageId,
            endpointId: draft.endpointId, eventType: draft.eventType, channels: draft.channels, data: draft.details)
        let expected = String(decoding: try JSONCoding.encoder().encode(encoded), as: UTF8.self)
        #expect(try Self.parsed(text) == Self.parsed(expected), "same members and values as the encoder wrote: \(text) vs \(expected)")
        #expect(text.hasPrefix(#"{"id":42,"type":""#), "id and type lead")
        #expect(StreamFrame.event(event).sseText() == "id: 42\nevent: \(draft.kind.rawValue)\ndata: \(text)\n\n")
    }
}
