import Foundation
import HooklineCore
import Testing

@testable import HooklinePostgres

/// Text sent to PostgreSQL without a database: NUL replacement and the events' column arrays.
@Suite struct PostgresTextTests {
    @Test func textWithoutNULReplacesEachNULAndKeepsTheRest() {
        #expect("a\u{0}b\u{0}".withoutNUL == "a\u{FFFD}b\u{FFFD}")
        #expect("plain é 🎉".withoutNUL == "plain é 🎉")
        #expect("".withoutNUL == "")
    }

    /// Each draft becomes one element of every column; absent optional values are `""` or `0` with their `present` bit
    /// clear (stored as NULL), channels and details travel as JSON text, NUL is replaced.
    @Test func eventRowsCarryEveryColumn() throws {
        let drafts = [
            EventDraft(
                kind: .deliverySucceeded, appId: "app_1", messageId: "msg_1", endpointId: "ep_1", eventType: "user\u{0}.created",
                channels: ["a", "b\"c"], latencyMs: 12, details: .object(["attempts": .integer(1), "note": .string("x\ny")]),
                createdAt: Date(millisecondsSince1970: 1_700_000_000_123)),
            EventDraft(kind: .messageCreated, createdAt: Date(millisecondsSince1970: 5_000)),
        ]
        let rows = PostgresEventRows(drafts)
        #expect(rows.kinds == [EventKind.deliverySucceeded.rawValue, EventKind.messageCreated.rawValue])
        #expect(rows.appIds == ["app_1", ""] && rows.messageIds == ["msg_1", ""] && rows.endpointIds == ["ep_1", ""])
        #expect(rows.eventTypes == ["user\u{FFFD}.created", ""])
        #expect(rows.latencies == [12, 0])
        #expect(rows.createdAt == [1_700_000_000_123, 5_000])
        #expect(rows.present == [63, 0], "every optional column of the first, none of the second")
        #expect(try JSONDecoder().decode([String].self, from: Data(rows.channels[0].utf8)) == ["a", "b\"c"])
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(rows.details[0].utf8)) == drafts[0].details)
        #expect(rows.details[1] == "{}")
        #expect([rows.appIds, rows.messageIds, rows.endpointIds, rows.eventTypes, rows.channels, rows.details].allSatisfy { $0.count == 2 })
    }
}
