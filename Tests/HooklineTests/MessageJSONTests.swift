import Foundation
import HTTPTypes
import HooklineCore
import HooklineTesting
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import HooklineHTTP

/// Message lists written without Foundation's coders: the coder path's members, payloads as their stored bytes.
@Suite struct MessageJSONTests {
    private let app = Fixtures.application(at: Date(millisecondsSince1970: 1_764_480_000_123))

    @Test func listItemsSayWhatTheCoderPathSaysWithPayloadBytesAsStored() async throws {
        var first = Fixtures.message(app: app, eventId: "evt-\"1\"", at: Date(millisecondsSince1970: 1_764_480_000_123))
        first.payload = Data(#"{"z":1, "a":"é\n","n":[1.50,{}]}"#.utf8)  // member order, spacing and number text kept
        first.channels = ["c1", "c/2"]
        first.correlationId = "corr-1"
        var second = Fixtures.message(app: app, at: Date(millisecondsSince1970: 951_782_400_007))
        second.tags = []
        second.priority = 9
        let page = Page(items: [first, second], iterator: "msg_next", done: false, prevIterator: nil)

        let text = try await responseText(MessageJSON.list(page, withContent: true))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["iterator"] as? String == "msg_next")
        #expect(document["prevIterator"] is NSNull, "a missing iterator is null, as ListOut writes it")
        #expect(document["done"] as? Bool == false)
        let items = try #require(document["data"] as? [NSDictionary])
        #expect(items.count == 2)
        for (item, message) in zip(items, [first, second]) {
            let single = try await responseText(try JSONCoding.response(.ok, MessageOut(message), payload: message.payload))
            let expected = try JSONSerialization.jsonObject(with: Data(single.utf8)) as? NSDictionary
            #expect(item == expected, "\(item) says what the single-message answer \(single) says")
        }
        #expect(text.contains(#""payload":{"z":1, "a":"é\n","n":[1.50,{}]}"#), "the payload's stored bytes, not a re-encoding")

        let withoutContent = try await responseText(MessageJSON.list(page, withContent: false))
        #expect(!withoutContent.contains("\"z\":1"))
        #expect(withoutContent.components(separatedBy: #""payload":{}"#).count == 3, "with_content=false shows {} for each")
    }

    @Test func inboundBodiesThatAreNotJSONObjectsShowAsEmptyObjects() async throws {
        var form = Fixtures.message(app: app, at: Date(millisecondsSince1970: 1_764_480_000_000))
        form.payload = Data("a=1&b=%7B".utf8)
        form.contentType = "application/x-www-form-urlencoded"
        var json = form
        json.payload = Data(#"{"provider":"stripe"}"#.utf8)
        json.contentType = "application/json"
        var purged = json
        purged.payload = Data()
        #expect(MessageJSON.payload(form, withContent: true) == Data("{}".utf8))
        #expect(MessageJSON.payload(json, withContent: true) == json.payload)
        #expect(MessageJSON.payload(purged, withContent: true) == Data("{}".utf8))
        #expect(MessageJSON.payload(json, withContent: false) == Data("{}".utf8))

        let text = try await responseText(MessageJSON.list(Page(items: [form, json], iterator: nil, done: true), withContent: true))
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is NSDictionary, "\(text) is valid JSON")
        #expect(text.contains(#""payload":{}"#) && text.contains(#""payload":{"provider":"stripe"}"#))
    }

    @Test func endpointMessagesCarryTheirDeliveryStatus() async throws {
        let message = Fixtures.message(app: app, at: Date(millisecondsSince1970: 1_764_480_000_000))
        let due = Date(millisecondsSince1970: 1_764_480_060_250)
        func item(_ state: DeliveryState) -> EndpointMessage {
            EndpointMessage(
                message: message,
                delivery: Delivery(
                    id: 1, messageId: message.id, endpointId: "ep_1", appId: app.id, state: state, attempts: 1, nextAttemptAt: due))
        }
        let text = try await responseText(
            MessageJSON.list(Page(items: [item(.pending), item(.succeeded)], iterator: nil, done: true), withContent: true))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let items = try #require(document["data"] as? [[String: Any]])
        #expect(items[0]["id"] as? String == message.id)
        #expect(items[0]["status"] as? Int == DeliveryState.pending.svixStatus.rawValue)
        #expect(items[0]["statusText"] as? String == DeliveryState.pending.svixStatus.text)
        #expect(items[0]["nextAttempt"] as? String == "2025-11-30T05:21:00.250Z")
        #expect(items[1]["status"] as? Int == DeliveryState.succeeded.svixStatus.rawValue)
        #expect(items[1]["nextAttempt"] == nil, "only a pending delivery has a next attempt")
    }

    @Test func attemptListItemsSayWhatTheCoderPathSays() async throws {
        let at = Date(millisecondsSince1970: 1_764_480_000_456)
        let attempts = [
            Attempt(
                id: "atmpt_1", messageId: "msg_1", endpointId: "ep_1", appId: app.id, url: "http://127.0.0.1:9/hook?a=1&b=/x",
                responseStatusCode: 500, response: "oops \"quoted\"\nline\u{1}é", durationMs: 12, status: .fail, trigger: .manual,
                timestamp: at),
            Attempt(
                id: "atmpt_2", messageId: "msg_1", endpointId: "ep_1", appId: app.id, url: "http://127.0.0.1:9/hook", responseStatusCode: 200,
                response: "", durationMs: 1, status: .success, trigger: .scheduled, timestamp: at),
        ]
        let page = Page(items: attempts, iterator: nil, done: true, prevIterator: "-atmpt_1")
        let text = try await responseText(MessageJSON.list(page))
        let coded = try await responseText(try JSONCoding.response(.ok, ListOut(page, transform: MessageAttemptOut.init)))
        let fast = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let slow = try JSONSerialization.jsonObject(with: Data(coded.utf8)) as? NSDictionary
        #expect(fast != nil && fast == slow, "\(text) says what \(coded) says")
    }
}
