import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct RawJSONTests {
    @Test func findsTopLevelMembersExactly() {
        let text = #"{ "eventType" : "a.b", "nested": {"payload": 1}, "payload" : {"z": "}\"{", "a": [1, {"b": null}], "n": -1.5e3} , "tail": true}"#
        let payload = RawJSON.member("payload", in: Data(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(payload == #"{"z": "}\"{", "a": [1, {"b": null}], "n": -1.5e3}"#)
        #expect(RawJSON.member("tail", in: Data(text.utf8)) == Data("true".utf8))
        #expect(RawJSON.member("eventType", in: Data(text.utf8)) == Data(#""a.b""#.utf8))
        #expect(RawJSON.member("missing", in: Data(text.utf8)) == nil)
        #expect(RawJSON.member("payload", in: Data("[1]".utf8)) == nil)
    }

    @Test func recognisesObjects() {
        #expect(RawJSON.looksLikeObject(Data("  \n{}".utf8)))
        #expect(!RawJSON.looksLikeObject(Data("[]".utf8)))
    }

    @Test func payloadIsDeliveredByteForByte() async throws {
        try await RecordingReceiver.with { receiver, url in
            try await TestNode.with { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Bytes"]).json["id"] as? String)
                _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url])
                let payload = #"{"zeta": 1,  "alpha": "é \u00e9 \/", "big": 12345678901234567890, "f": 1.10}"#
                let reply = try await api.call("POST", "/api/v1/app/\(appId)/msg", raw: #"{"eventType": "bytes", "payload": "# + payload + "}")
                #expect(reply.status == 202)
                #expect(String(decoding: reply.body, as: UTF8.self).contains(payload), "the response echoes the payload as sent")
                let received = await receiver.waitFor(1)
                #expect(received.first.map { String(decoding: $0.body, as: UTF8.self) } == payload, "delivered exactly as sent")
            }
        }
    }
}
