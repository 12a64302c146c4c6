import Foundation
import Testing

@testable import HooklineCore

/// The direct JSON writer behind stored event details, tags and channels.
@Suite struct JSONTextTests {
    @Test func writesCompactTextWithSortedKeys() {
        let value: JSONValue = .object([
            "zeta": .integer(-42), "alpha": .array([.bool(true), .null, .number(1.5)]), "mid": .object(["b": .integer(0), "a": .string("x")]),
        ])
        #expect(value.compactText == #"{"alpha":[true,null,1.5],"mid":{"a":"x","b":0},"zeta":-42}"#)
    }

    @Test func writesEveryInt64() {
        for number: Int64 in [0, 7, 10, -1, 1_764_480_000_000, .max, .min] {
            #expect(JSONValue.integer(number).compactText == String(number))
        }
    }

    @Test func escapesWhatJSONRequiresAndKeepsUnicode() throws {
        let text = JSONValue.string("q\"b\\n\nr\rt\t\u{01}\u{1F} é 🎉").compactText
        #expect(text == #""q\"b\\n\nr\rt\t\u0001\u001f é 🎉""#)
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String
        #expect(decoded == "q\"b\\n\nr\rt\t\u{01}\u{1F} é 🎉", "the text round-trips through a real JSON parser")
    }

    @Test func writesNonFiniteNumbersAsNull() {
        #expect(JSONValue.array([.number(.infinity), .number(.nan)]).compactText == "[null,null]")
        #expect(JSONValue.compactText(["a", "b\"c"]) == #"["a","b\"c"]"#)
        #expect(JSONValue.compactText([]) == "[]")
    }
}

/// The direct writer behind PostgreSQL's event recordsets.
@Suite struct JSONRecordWriterTests {
    @Test func writesFlatObjectsWithNullsAndEscapes() throws {
        var writer = JSONRecordWriter(capacity: 16)
        writer.beginRecord()
        writer.member("kind", "delivery.succeeded")
        writer.member("app_id", nil as String?)
        writer.member("details", #"{"a":"q\"b"}"#)
        writer.member("latency_ms", -7 as Int64?)
        writer.endRecord()
        writer.beginRecord()
        writer.member("created_at", nil as Int64?)
        writer.endRecord()
        let text = writer.text()
        #expect(text == #"[{"kind":"delivery.succeeded","app_id":null,"details":"{\"a\":\"q\\\"b\"}","latency_ms":-7},{"created_at":null}]"#)
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(decoded.count == 2)
        #expect(decoded[0]["details"] as? String == #"{"a":"q\"b"}"#, "a JSON text member round-trips as a string")
        #expect(decoded[0]["app_id"] is NSNull)
    }

    @Test func writesAnEmptyArray() {
        #expect(JSONRecordWriter(capacity: 0).text() == "[]")
    }
}
