import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite struct PayloadFilterTests {
    static let payload = """
        {"type": "invoice.paid", "data": {"amount": 150, "ratio": 0.25, "currency": "EUR", "tags": ["a", "b"],
         "items": [{"sku": "X1", "qty": 2}, {"sku": "Y2", "qty": 0}], "note": null, "flag": false, "big": 1e3},
         "customer": {"vip": true, "id": "42"}}
        """

    func filter(_ text: String) throws -> PayloadFilter {
        try PayloadFilter(json: JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    func matches(_ text: String, payload: String = payload) throws -> Bool {
        try filter(text).matches(payload: Data(payload.utf8))
    }

    func rejection(_ text: String) -> String? {
        do {
            _ = try filter(text)
            return nil
        } catch let error as HooklineError {
            #expect(error.code == .validation)
            #expect(error.field.prefix(2) == ["body", "payloadFilter"])
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func equality() throws {
        #expect(try matches(#"{"path": "type", "eq": "invoice.paid"}"#))
        #expect(try !matches(#"{"path": "type", "eq": "invoice.failed"}"#))
        #expect(try matches(#"{"path": "data.amount", "eq": 150.0}"#), "numbers compare by value")
        #expect(try !matches(#"{"path": "customer.id", "eq": 42}"#), "a string never equals a number")
        #expect(try matches(#"{"path": "customer.vip", "eq": true}"#))
        #expect(try matches(#"{"path": "data.flag", "eq": false}"#))
        #expect(try matches(#"{"path": "data.note", "eq": null}"#))
        #expect(try !matches(#"{"path": "data.missing", "eq": null}"#), "a missing path is not null")
        #expect(try matches(#"{"path": "data.big", "eq": 1000}"#))
    }

    @Test func membership() throws {
        #expect(try matches(#"{"path": "type", "in": ["invoice.created", "invoice.paid"]}"#))
        #expect(try !matches(#"{"path": "type", "in": ["a", "b"]}"#))
        #expect(try matches(#"{"path": "data.items[0].qty", "in": [1, 2, 3]}"#))
        #expect(try !matches(#"{"path": "data.nothing", "in": ["a"]}"#))
    }

    @Test func existence() throws {
        #expect(try matches(#"{"path": "customer.vip", "exists": true}"#))
        #expect(try matches(#"{"path": "data.note", "exists": true}"#), "null is present")
        #expect(try matches(#"{"path": "customer.email", "exists": false}"#))
        #expect(try !matches(#"{"path": "customer.vip", "exists": false}"#))
        #expect(try matches(#"{"path": "data.items[5]", "exists": false}"#))
    }

    @Test func numericComparisons() throws {
        #expect(try matches(#"{"path": "data.amount", "gt": 149}"#))
        #expect(try !matches(#"{"path": "data.amount", "gt": 150}"#))
        #expect(try matches(#"{"path": "data.amount", "gte": 150}"#))
        #expect(try matches(#"{"path": "data.amount", "lt": 150.5}"#))
        #expect(try !matches(#"{"path": "data.amount", "lt": 150}"#))
        #expect(try matches(#"{"path": "data.amount", "lte": 150}"#))
        #expect(try matches(#"{"path": "data.ratio", "lt": 0.3}"#))
        #expect(try !matches(#"{"path": "data.currency", "gt": 0}"#), "a string is not a number")
        #expect(try !matches(#"{"path": "customer.vip", "gte": 0}"#), "a boolean is not a number")
        #expect(try !matches(#"{"path": "data.nothing", "lt": 1000}"#), "a missing value compares false")
    }

    @Test func pathsWithArrayIndices() throws {
        #expect(try matches(#"{"path": "data.items[1].sku", "eq": "Y2"}"#))
        #expect(try matches(#"{"path": "data.items.1.sku", "eq": "Y2"}"#), "a numeric segment indexes an array")
        #expect(try matches(#"{"path": "data.tags[0]", "eq": "a"}"#))
        #expect(try !matches(#"{"path": "data.tags[2]", "exists": true}"#))
        #expect(try !matches(#"{"path": "data.amount.value", "exists": true}"#), "a scalar has no members")
        #expect(try !matches(#"{"path": "data.items.sku", "exists": true}"#), "an array has no named members")
        #expect(FilterPath("a..b") == nil)
        #expect(FilterPath("a[x]") == nil)
        #expect(FilterPath("a[1") == nil)
        #expect(FilterPath("") == nil)
        #expect(FilterPath("a[0][1].b")?.segments == [.key("a"), .index(0), .index(1), .key("b")])
    }

    @Test func combinators() throws {
        let vipBigInvoice = #"""
            {"and": [{"path": "data.amount", "gte": 100}, {"path": "type", "in": ["invoice.paid", "b"]},
                     {"path": "customer.vip", "exists": true}]}
            """#
        #expect(try matches(vipBigInvoice))
        #expect(try !matches(vipBigInvoice, payload: #"{"type": "invoice.paid", "data": {"amount": 99}, "customer": {"vip": true}}"#))
        #expect(try matches(#"{"or": [{"path": "type", "eq": "x"}, {"path": "data.amount", "gt": 100}]}"#))
        #expect(try !matches(#"{"or": [{"path": "type", "eq": "x"}, {"path": "data.amount", "gt": 1000}]}"#))
        #expect(try matches(#"{"not": {"path": "type", "eq": "x"}}"#))
        #expect(try matches(#"{"not": {"path": "data.missing", "eq": 1}}"#), "not of a missing-path test is true")
        let nested = #"""
            {"and": [{"or": [{"path": "data.currency", "eq": "USD"}, {"not": {"path": "data.currency", "in": ["GBP"]}}]},
                     {"not": {"and": [{"path": "data.items[1].qty", "eq": 0}, {"path": "data.flag", "eq": true}]}}]}
            """#
        #expect(try matches(nested))
    }

    @Test func nonJSONPayloadsMatchNoFilter() throws {
        #expect(try !filter(#"{"path": "a", "exists": false}"#).matches(payload: Data("not json".utf8)))
        #expect(try !filter(#"{"not": {"path": "a", "eq": 1}}"#).matches(nil))
    }

    @Test func wireFormRoundTrips() throws {
        let text = #"{"and":[{"path":"data.amount","gte":100},{"not":{"path":"x[0]","in":["a",1,true,null]}},{"path":"r","lt":0.5}]}"#
        let parsed = try filter(text)
        let again = try PayloadFilter(json: parsed.json)
        #expect(again == parsed)
        let encoded = try JSONEncoder().encode(parsed)
        #expect(try JSONDecoder().decode(PayloadFilter.self, from: encoded) == parsed)
    }

    @Test func validationSaysWhatIsWrong() throws {
        #expect(rejection(#"[1]"#)?.contains("must be an object") == true)
        #expect(rejection(#"{"path": "type", "gtx": 1}"#)?.contains("unknown operator 'gtx'") == true)
        #expect(
            rejection(#"{"and": [{"path": "a", "eq": 1}, {"path": "b", "like": "x"}]}"#)?.hasPrefix("payloadFilter.and[1]: unknown operator 'like'")
                == true)
        #expect(rejection(#"{"path": "type"}"#)?.contains("exactly one operator") == true)
        #expect(rejection(#"{"path": "type", "eq": 1, "in": [1]}"#)?.contains("exactly one operator") == true)
        #expect(rejection(#"{"eq": 1}"#)?.contains("needs 'path'") == true)
        #expect(rejection(#"{"path": "a..b", "eq": 1}"#)?.hasPrefix("payloadFilter.path:") == true)
        #expect(rejection(#"{"path": 3, "eq": 1}"#)?.contains("dotted path") == true)
        #expect(rejection(#"{"path": "a", "gt": "10"}"#)?.contains("'gt' takes a number") == true)
        #expect(rejection(#"{"path": "a", "exists": 1}"#)?.contains("true or false") == true)
        #expect(rejection(#"{"path": "a", "in": []}"#)?.contains("list of 1 to") == true)
        #expect(rejection(#"{"path": "a", "in": "x"}"#)?.contains("list of 1 to") == true)
        #expect(rejection(#"{"path": "a", "eq": {"b": 1}}"#)?.contains("not a list or object") == true)
        #expect(rejection(#"{"path": "a", "in": [1, [2]]}"#)?.hasPrefix("payloadFilter.in[1]:") == true)
        #expect(rejection(#"{"and": []}"#)?.contains("non-empty list") == true)
        #expect(rejection(#"{"and": [{"path": "a", "eq": 1}], "or": []}"#)?.contains("only key") == true)
        #expect(rejection(#"{"not": [{"path": "a", "eq": 1}]}"#)?.contains("must be an object") == true)
    }

    @Test func sizeAndDepthAreBounded() throws {
        var deep = #"{"path": "a", "eq": 1}"#
        for _ in 0..<PayloadFilter.Limits.maxDepth { deep = #"{"not": \#(deep)}"# }
        #expect(rejection(deep)?.contains("levels deep") == true)
        let wide = "{\"or\": [" + Array(repeating: #"{"path": "a", "eq": 1}"#, count: PayloadFilter.Limits.maxNodes).joined(separator: ",") + "]}"
        #expect(rejection(wide)?.contains("at most \(PayloadFilter.Limits.maxNodes) conditions") == true)
        let manyValues = "{\"path\": \"a\", \"in\": [" + (0...PayloadFilter.Limits.maxInValues).map(String.init).joined(separator: ",") + "]}"
        #expect(rejection(manyValues) != nil)
        let longString = "{\"path\": \"a\", \"eq\": \"" + String(repeating: "x", count: PayloadFilter.Limits.maxStringLength + 1) + "\"}"
        #expect(rejection(longString)?.contains("at most") == true)
        let bulky =
            "{\"or\": ["
            + (0..<40).map { _ in
                "{\"path\": \"a\", \"in\": [" + Array(repeating: "\"" + String(repeating: "y", count: 100) + "\"", count: 10).joined(separator: ",")
                    + "]}"
            }.joined(separator: ",") + "]}"
        #expect(rejection(bulky)?.contains("bytes of JSON") == true)
    }

    @Test func routerParsesOnlyWhenAFilterApplies() throws {
        let app = Fixtures.application(at: Date())
        var plain = Fixtures.endpoint(app: app, at: Date())
        plain.eventTypes = ["invoice.paid"]
        var filtered = Fixtures.endpoint(app: app, at: Date().addingTimeInterval(1))
        filtered.payloadFilter = try filter(#"{"path": "data.amount", "gte": 100}"#)
        let router = MessageRouter()
        let big = Data(#"{"data": {"amount": 500}}"#.utf8)
        let small = Data(#"{"data": {"amount": 5}}"#.utf8)
        #expect(router.route(eventType: "invoice.paid", channels: nil, payload: big, to: [plain, filtered]).map(\.id) == [plain.id, filtered.id])
        #expect(router.route(eventType: "invoice.paid", channels: nil, payload: small, to: [plain, filtered]).map(\.id) == [plain.id])
        #expect(router.route(eventType: "other", channels: nil, payload: Data("garbage".utf8), to: [plain]).isEmpty)
        #expect(router.route(eventType: "x", channels: nil, payload: Data("not json".utf8), to: [filtered]).isEmpty)
    }
}
