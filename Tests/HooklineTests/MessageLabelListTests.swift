import Foundation
import GRDB
import HooklineCore
import HooklineTesting
import Testing

@testable import HooklineSQLite

/// An application's messages by channel or tag are read from `message_channel` (SQLite v20) or `message_tag` (v21),
/// which triggers and `SQLiteLabelMerger` keep: the list walks the value's own rows in order instead of every message of
/// the application.
@Suite struct MessageLabelListTests {
    /// 300 messages in one application (a tenant's channel on every 10th, "blue" on every 3rd, some both) and 30 in
    /// another with the same channel name; returns the store, both applications and the messages.
    static func seeded(in path: String, log: HistoryQueryPlanTests.StatementLog? = nil) async throws -> (
        store: SQLiteStore, apps: [Application], messages: [Message]
    ) {
        let store = try await SQLiteStore.open(path: path + "/hookline.sqlite", traceStatements: { sql in log?.record(sql) })
        let start = Date().addingTimeInterval(-3_600)
        var apps: [Application] = []
        var messages: [Message] = []
        for (index, count) in [300, 30].enumerated() {
            let app = Fixtures.application(uid: "app-\(index)", at: start)
            try await store.insertApplication(app)
            apps.append(app)
            let batch = (0..<count).map { number in
                var message = Fixtures.message(app: app, at: start.addingTimeInterval(Double(number)))
                var channels: [String] = []
                if number % 10 == 0 { channels.append("tenant-7") }
                if number % 3 == 0 { channels.append("blue") }
                message.channels = channels.isEmpty ? (number % 2 == 0 ? nil : []) : channels
                if number % 4 == 0 { message.eventType = "invoice.paid" }
                if number % 5 == 0 { message.tags = ["project-9"] + (number % 2 == 0 ? ["even"] : []) }
                return message
            }
            messages += batch
            _ = try await store.insertMessages(batch.map { NewMessage(message: $0, endpointIds: [], deliverAt: start) })
        }
        return (store, apps, messages)
    }

    /// Every page of `query`, in order.
    static func all(_ store: SQLiteStore, _ query: MessageQuery) async throws -> [String] {
        var query = query
        var listed: [String] = []
        repeat {
            let page = try await store.messages(query)
            listed += page.items.map(\.id)
            query.page = PageRequest(limit: query.page.limit, iterator: page.iterator)
            if page.done { break }
        } while true
        return listed
    }

    @Test func aChannelsOrTagsMessagesAreListedNewestFirstFromTheirOwnRows() async throws {
        let directory = try TemporaryDirectory()
        let log = HistoryQueryPlanTests.StatementLog()
        var (store, apps, messages) = try await Self.seeded(in: directory.path, log: log)
        let app = apps[0]
        func expected(_ keep: (Message) -> Bool) -> [String] {
            messages.filter { (message: Message) in message.appId == app.id && keep(message) }.map { $0.id }.sorted(by: >)
        }
        // The same lists before the channel rows are merged (all recent), after, and after more messages (both tables).
        var later = try await store.application(app.id)
        for stage in ["recent", "partly merged", "merged", "both"] {
            // A batch is the first rows in key order: the list then reads some of a value's rows from each table.
            if stage == "partly merged" { #expect(try await store.mergeRecentLabels(limit: 40) == 40) }
            if stage == "merged" {
                let channels = messages.map { $0.channels?.count ?? 0 }.reduce(0, +)
                let tags = messages.map { $0.tags?.count ?? 0 }.reduce(0, +)
                #expect(try await store.mergeRecentLabels() == max(channels, tags) - 40)
                #expect(try await store.mergeRecentLabels() == 0)
            }
            if stage == "both", let owner = later {
                var extra = Fixtures.message(app: owner, at: Date())
                extra.channels = ["tenant-7", "blue"]
                extra.tags = ["project-9"]
                _ = try await store.insertMessages([NewMessage(message: extra, endpointIds: [], deliverAt: Date())])
                messages.append(extra)
                later = nil
            }
            let tenant = try await Self.all(store, MessageQuery(appId: app.id, filter: ListFilter(channel: "tenant-7"), page: PageRequest(limit: 7)))
            #expect(tenant == expected { $0.channels?.contains("tenant-7") == true } && !tenant.isEmpty, "\(stage)")
            let both = try await Self.all(
                store,
                MessageQuery(
                    appId: app.id, filter: ListFilter(eventTypes: ["invoice.paid", "user.created"], channel: "blue"), page: PageRequest(limit: 9)))
            #expect(both == expected { $0.channels?.contains("blue") == true } && both.count >= 100, "\(stage)")
            let paidBlue = try await Self.all(store, MessageQuery(appId: app.id, filter: ListFilter(eventTypes: ["invoice.paid"], channel: "blue")))
            #expect(
                paidBlue == expected { $0.channels?.contains("blue") == true && $0.eventType == "invoice.paid" } && paidBlue.count == 25, "\(stage)")
            #expect(try await store.messages(MessageQuery(appId: app.id, filter: ListFilter(channel: "nobody"))).items.isEmpty)
            let project = try await Self.all(store, MessageQuery(appId: app.id, filter: ListFilter(tag: "project-9"), page: PageRequest(limit: 8)))
            #expect(project == expected { $0.tags?.contains("project-9") == true } && project.count >= 60, "\(stage)")
            let blueEven = try await Self.all(store, MessageQuery(appId: app.id, filter: ListFilter(channel: "blue", tag: "even")))
            #expect(blueEven == expected { $0.channels?.contains("blue") == true && $0.tags?.contains("even") == true } && blueEven.count == 10)
        }

        // Each statement walks the channel's merged rows in order (one range per event type) and scans the recent ones
        // (a second's worth), never the application's messages.
        _ = log.take()
        _ = try await store.messages(MessageQuery(appId: app.id, filter: ListFilter(channel: "tenant-7")))
        _ = try await store.messages(MessageQuery(appId: app.id, filter: ListFilter(eventTypes: ["invoice.paid", "user.created"], channel: "blue")))
        _ = try await store.messages(MessageQuery(appId: app.id, filter: ListFilter(tag: "project-9")))
        let statements = log.take().filter { $0.hasPrefix("SELECT") }
        #expect(statements.count == 3)
        for sql in statements {
            let plan: [String] = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { row -> String in row["detail"] }
            }
            let reads = sql.components(separatedBy: "UNION ALL").count
            let (alias, column) = sql.contains("message_tag") ? ("mt", "tag") : ("mc", "channel")
            let ranges = plan.filter { line in line.contains("SEARCH \(alias) USING PRIMARY KEY (app_id=? AND \(column)=?") }
            #expect(ranges.count == reads / 2, "\(plan) in \(sql)")
            // Each message is found by its id; a union's pages are merged by scanning them.
            let walks = plan.filter { line in
                (line.hasPrefix("SCAN") && !line.hasPrefix("SCAN (subquery") && line != "SCAN \(alias)") || line.hasSuffix("(app_id=?)")
            }
            #expect(walks.isEmpty && plan.filter { $0 == "SCAN \(alias)" }.count == reads / 2, "\(plan) in \(sql)")
        }

        // A deleted message leaves no channel or tag row behind, merged or recent.
        let merged = try #require(messages.first { $0.appId == app.id && $0.channels?.count == 2 })
        let recent = try #require(messages.last)
        for doomed in [merged, recent] {
            try await store.pool.write { db in try db.execute(sql: "DELETE FROM message WHERE id = ?", arguments: [doomed.id]) }
        }
        #expect(try await store.mergeRecentLabels() == 2, "the recent message's two channels (and its tag)")
        let left = try await store.pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM message_channel WHERE message_id IN (?, ?)) + (SELECT count(*) FROM message_channel_recent)
                        + (SELECT count(*) FROM message_tag WHERE message_id IN (?, ?)) + (SELECT count(*) FROM message_tag_recent)
                    """,
                arguments: [merged.id, recent.id, merged.id, recent.id])
        }
        #expect(left == 0)
        let after = try await Self.all(store, MessageQuery(appId: app.id, filter: ListFilter(channel: "tenant-7")))
        #expect(after == expected { $0.channels?.contains("tenant-7") == true }.filter { $0 != merged.id && $0 != recent.id })
    }

    @Test func theMigrationsIndexTheChannelsAndTagsOfExistingMessages() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        try SQLiteMigrations.makeFile(
            atPath: path, upTo: "v19-message-types",
            then: """
                INSERT INTO message (id, app_id, event_type, payload, channels, tags, created_at) VALUES
                    ('msg_3', 'app_a', 'a.b', X'7B7D', '["red","blue"]', NULL, 3), ('msg_2', 'app_a', 'a.b', X'7B7D', NULL, '["x"]', 2),
                    ('msg_1', 'app_a', 'a.b', X'7B7D', '["blue"]', '["x","y"]', 1), ('msg_0', 'app_b', 'a.b', X'7B7D', '["blue"]', '["x"]', 0);
                """)
        let store = try await SQLiteStore.open(path: path)
        #expect(try await Self.all(store, MessageQuery(appId: "app_a", filter: ListFilter(channel: "blue"))) == ["msg_3", "msg_1"])
        #expect(try await Self.all(store, MessageQuery(appId: "app_a", filter: ListFilter(channel: "red"))) == ["msg_3"])
        #expect(try await Self.all(store, MessageQuery(appId: "app_a", filter: ListFilter(tag: "x"))) == ["msg_2", "msg_1"])
    }
}
