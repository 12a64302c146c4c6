import Foundation
import Testing

@testable import HooklineCore

/// The direct JSON reader behind stored event details, against `JSONDecoder` on the same texts.
@Suite struct JSONParseTests {
    static let valid = [
        #"{"attempts":1,"note":"é\n🎉","list":[true,null,2.5,-3,0],"nested":{"a":{"b":[]}},"empty":{}}"#,
        #"  [ 1 , 2.0 , -0 , 1e3 , 1E-2 , 9223372036854775807 , 9223372036854775808 , -9223372036854775808 ]  "#,
        #""plain""#, #""esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83c\udf89 \u0000""#, "true", "false", "null", "0", "-12",
        #"{"dup":1,"dup":2}"#, #"[[[[["deep"]]]]]"#, #"{"":""}"#,
    ]
    static let invalid = [
        "", " ", "{", "[1,]", "{\"a\":1,}", "[1 2]", "01", "1.", ".5", "+1", "-", "1e", "tru", "nul", "\"open", "\"\\x\"",
        "\"\\ud83c\"", "\"\\udf89\"", "\"tab\there\"", "{\"a\" 1}", "{1:2}", "[1]]", "1 2", "NaN", "Infinity",
    ]

    @Test(arguments: valid)
    func readsWhatJSONDecoderReads(_ text: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(JSONValue.parse(text) == expected)
    }

    @Test(arguments: invalid)
    func refusesWhatIsNotOneJSONValue(_ text: String) {
        #expect(JSONValue.parse(text) == nil)
    }

    @Test func refusesNestingBeyondTheLimit() {
        #expect(JSONValue.parse(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)) == nil)
        #expect(JSONValue.parse(String(repeating: "[", count: 500) + String(repeating: "]", count: 500)) != nil)
    }

    @Test func readsListsOfStrings() {
        #expect(JSONValue.parseStrings(#"["a","b\"c",""]"#) == ["a", "b\"c", ""])
        #expect(JSONValue.parseStrings("[]") == [])
        #expect(JSONValue.parseStrings(#"["a",1]"#) == nil)
        #expect(JSONValue.parseStrings(#"{"a":"b"}"#) == nil)
    }

    @Test func roundTripsItsOwnCompactText() {
        let value: JSONValue = .object(["z": .array([.integer(.min), .number(0.1), .string("q\"\u{1}")]), "a": .null])
        #expect(JSONValue.parse(value.compactText) == value)
    }
}
