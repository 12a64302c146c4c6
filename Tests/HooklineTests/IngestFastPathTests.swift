import Foundation
import HTTPTypes
import HooklineCore
import HooklineTesting
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import HooklineHTTP

/// The message-create fast path: a strict scan, and the same drafts and answers as the coder path.
@Suite struct IngestFastPathTests {
    private func scan(_ text: String) -> JSONObjectScan? {
        Data(text.utf8).withUnsafeBytes { JSONObjectScan($0) }
    }

    @Test func acceptsValidObjectsAndReportsTopLevelMembers() throws {
        let text = #"{ "a" : [1, -0.5e+3, true, false, null, {"x": "\u00e9\n"}], "b":{}, "c" : "é" }"#
        let members = try #require(scan(text)).members
        let bytes = Array(text.utf8)
        #expect(members.map { String(decoding: bytes[$0.key], as: UTF8.self) } == ["a", "b", "c"])
        #expect(String(decoding: bytes[members[1].value], as: UTF8.self) == "{}")
        #expect(String(decoding: bytes[members[2].value], as: UTF8.self) == "\"é\"")
        #expect(scan("{}")?.members.isEmpty == true)
    }

    @Test func rejectsWhatJSONRejects() {
        for text in [
            "", "[]", "{", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":tru}", "{\"a\":\"\u{01}\"}",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":1} x", "{a:1}", "{\"a\" 1}", "{\"a\":[1 2]}", "{\"a\":\"open}",
        ] {
            #expect(scan(text) == nil, "\(text.debugDescription) is not a valid JSON object")
        }
        let invalidUTF8 = Data([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D])
        #expect(invalidUTF8.withUnsafeBytes { JSONObjectScan($0) } == nil)
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(scan("{\"a\":\(deep)}") == nil, "deeper than the limit goes to the decoder")
    }

    @Test func draftsMatchTheDecoderPath() throws {
        let bodies = [
            #"{"eventType":"order.paid","payload":{"id":1,"name":"é"},"channels":["a","b"],"tags":[],"eventId":"evt-1"}"#,
            #"{"payload": {"nested": {"payload": 2}} , "eventType" : "x", "extra": [1,2], "eventId": null}"#,
            #"{"eventType":"later","payload":{},"deliverAt":"2030-01-02T03:04:05.678Z"}"#,
        ]
        for body in bodies {
            let data = Data(body.utf8)
            let fast = try #require(MessageFastPath.draft(body: data))
            let slow = try JSONCoding.decode(MessageIn.self, from: data).draft(body: data)
            #expect(fast.eventType == slow.eventType)
            #expect(fast.rawPayload == slow.rawPayload)
            #expect(fast.eventId == slow.eventId)
            #expect(fast.channels == slow.channels)
            #expect(fast.tags == slow.tags)
            #expect(fast.deliverAt == slow.deliverAt)
            #expect(fast.priority == slow.priority)
        }
    }

    @Test func leavesUnusualBodiesToTheDecoder() {
        for body in [
            #"{"eventType":"a\"b","payload":{}}"#, #"{"eventType":"a","payload":[]}"#, #"{"eventType":5,"payload":{}}"#,
            #"{"payload":{}}"#, #"{"eventType":"a","payload":{},"priority":9}"#, #"{"eventType":"a","eventType":"b","payload":{}}"#,
            #"{"eventType":"a","payload":{},"channels":"x"}"#, #"{"eventType":"a","payload":{},"deliverAt":"soon"}"#,
        ] {
            #expect(MessageFastPath.draft(body: Data(body.utf8)) == nil, "\(body) takes the decoder path")
        }
    }

    @Test func answerBytesMatchTheEncoderPath() async throws {
        let app = Fixtures.application(at: Date(millisecondsSince1970: 1_764_480_000_123))
        var messages = [Fixtures.message(app: app, eventId: "evt-1", at: Date(millisecondsSince1970: 1_764_480_000_123))]
        var plain = Fixtures.message(app: app, at: Date(millisecondsSince1970: 951_782_400_007))  // 2000-02-29
        plain.channels = ["c1", "c/2"]
        plain.tags = []
        plain.priority = 9
        messages.append(plain)
        for message in messages {
            let fast = try #require(MessageFastPath.response(message, payload: message.payload))
            let slow = try JSONCoding.response(.accepted, MessageOut(message), payload: message.payload)
            let fastText = try await responseText(fast)
            let slowText = try await responseText(slow)
            // JSONEncoder orders members by hash, so compare documents, and the payload's bytes.
            let fastObject = try JSONSerialization.jsonObject(with: Data(fastText.utf8)) as? NSDictionary
            let slowObject = try JSONSerialization.jsonObject(with: Data(slowText.utf8)) as? NSDictionary
            #expect(fastObject != nil && fastObject == slowObject, "\(fastText) and \(slowText) say the same")
            #expect(fastText.hasSuffix(",\"payload\":" + String(decoding: message.payload, as: UTF8.self) + "}"))
            #expect(fast.status == slow.status)
        }
        var escaped = messages[0]
        escaped.eventType = "needs \"escaping\""
        #expect(MessageFastPath.response(escaped, payload: nil) == nil)
    }

    @Test func timestampsAreISO8601WithMilliseconds() {
        #expect(MillisecondTimestamp.iso8601(0) == "1970-01-01T00:00:00.000Z")
        #expect(MillisecondTimestamp.iso8601(951_782_400_007) == "2000-02-29T00:00:00.007Z")
        #expect(MillisecondTimestamp.iso8601(4_102_444_799_999) == "2099-12-31T23:59:59.999Z")
        #expect(MillisecondTimestamp.iso8601(-1) == "1969-12-31T23:59:59.999Z")
    }
}
