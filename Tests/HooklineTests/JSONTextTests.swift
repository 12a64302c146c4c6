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
