import Foundation
import HooklineCore
import Testing

@testable import HooklinePostgres

/// Text sent to PostgreSQL without a database: NUL replacement and the event recordset's JSON.
@Suite struct PostgresTextTests {
    @Test func textWithoutNULReplacesEachNULAndKeepsTheRest() {
        #expect("a\u{0}b\u{0}".withoutNUL == "a\u{FFFD}b\u{FFFD}")
        #expect("plain é 🎉".withoutNUL == "plain é 🎉")
        #expect("".withoutNUL == "")
    }

    /// Each draft becomes one object with every column of `eventColumns`; channels and details travel as JSON text.
    @Test func eventRecordsetCarriesEveryColumn() throws {
        let drafts = [
            EventDraft(
                kind: .deliverySucceeded, appId: "app_1", messageId: "msg_1", endpointId: "ep_1", eventType: "user\u{0}.created",
                channels: ["a", "b\"c"], latencyMs: 12, details: .object(["attempts": .integer(1), "note": .string("x\ny")]),
                createdAt: Date(millisecondsSince1970: 1_700_000_000_123)),
            EventDraft(kind: .messageCreated, createdAt: Date(millisecondsSince1970: 5)),
        ]
        let text = PostgresSession.eventRecordset(drafts)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        let columns = PostgresSession.eventColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0] }
        for row in rows { #expect(Set(row.keys) == Set(columns.map(String.init))) }
        #expect(rows[0]["kind"] as? String == EventKind.deliverySucceeded.rawValue)
        #expect(rows[0]["event_type"] as? String == "user\u{FFFD}.created")
        #expect(rows[0]["latency_ms"] as? Int == 12)
        #expect(rows[0]["created_at"] as? Int == 1_700_000_000_123)
        let channels = try #require(rows[0]["channels"] as? String)
        #expect(try JSONDecoder().decode([String].self, from: Data(channels.utf8)) == ["a", "b\"c"])
        let details = try #require(rows[0]["details"] as? String)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(details.utf8)) == drafts[0].details)
        #expect(rows[1]["app_id"] is NSNull && rows[1]["channels"] is NSNull && rows[1]["latency_ms"] is NSNull)
        #expect(rows[1]["details"] as? String == "{}")
    }
}
