import Foundation
import GRDB
import HooklineCore
import HooklineTesting
import Testing

@testable import HooklineSQLite

/// A bulk seed drops the history tables' secondary indexes (but the partial ones no seeded row enters) and rebuilds exactly
/// the same ones afterwards (SQLite), an interrupted one is finished by the next, and the file ends in WAL mode again.
@Suite struct HistorySeedingTests {
    static func indexes(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                    AND tbl_name IN ('message', 'delivery', 'attempt', 'event') ORDER BY name
                    """)
        }
    }

    /// Rows in the partial indexes a bulk seed keeps (finished deliveries and messages without an event id never enter).
    static func rowsInKeptIndexes(_ path: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in
            let due = try Int.fetchOne(db, sql: "SELECT count(*) FROM delivery INDEXED BY delivery_lane WHERE state IN (0, 1)") ?? 0
            let eventIds = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM message INDEXED BY message_event_id WHERE event_id IS NOT NULL")
            return due + (eventIds ?? 0)
        }
    }

    @Test func aBulkSeedRebuildsTheIndexesItDropped() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        let store = try await SQLiteStore.open(path: path)
        let schema = try Self.indexes(path)
        #expect(schema.count >= 10, "\(schema)")
        let app = Fixtures.application(at: Date())
        try await store.insertApplication(app)
        let endpoint = Fixtures.endpoint(app: app, at: app.createdAt)
        try await store.insertEndpoint(endpoint)
        var generator = HistoryGenerator(
            targets: [.init(appId: app.id, endpointId: endpoint.id, url: endpoint.url)], total: 2_000,
            start: Date().addingTimeInterval(-2 * 86_400), end: Date())

        try await store.beginBulkSeeding()
        let kept = schema.filter { SQLiteStore.indexesSeedsNeverEnter.contains(String($0.prefix { $0 != ":" })) }
        #expect(kept.count == SQLiteStore.indexesSeedsNeverEnter.count, "\(kept)")
        #expect(try Self.indexes(path) == kept, "the other secondary indexes are dropped for the load")
        try await store.seedHistory(generator.next(1_000))
        #expect(try Self.rowsInKeptIndexes(path) == 0, "no seeded row enters the partial indexes kept through the load")
        // Interrupted here: the next seed begins again and finishes what the first left.
        try await store.beginBulkSeeding()
        try await store.seedHistory(generator.next(1_000))
        try await store.finishBulkSeeding()
        #expect(try Self.indexes(path) == schema, "the same indexes are back")
        let check = try await DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
        let mode = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal", "the file is back in WAL mode")
        let page = try await store.messages(MessageQuery(appId: app.id, page: PageRequest(limit: 50)))
        #expect(page.items.count == 50, "lists read the rebuilt indexes")
    }
}
