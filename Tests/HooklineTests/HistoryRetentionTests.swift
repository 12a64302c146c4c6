import Foundation
import GRDB
import HooklineCore
import HooklineTesting
import Logging
import Testing

@testable import HooklineSQLite

/// Retention deletes expired history and gives the space back (SQLite): driven by the manual clock, the sweep deletes
/// finished messages past the history retention with their deliveries and attempts, keeps every unexpired message and
/// every message still waiting for a delivery, and the file's page count falls.
@Suite struct HistoryRetentionTests {
    static let day: TimeInterval = 86_400

    /// Counts rows with plain SQL on the store's file.
    struct Census {
        let database: DatabaseQueue

        init(path: String) throws {
            var configuration = Configuration()
            configuration.readonly = true
            database = try DatabaseQueue(path: path, configuration: configuration)
        }

        func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
            try database.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? -1 }
        }
    }

    @Test func expiredHistoryIsDeletedAndItsSpaceGivenBack() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        let store = try await SQLiteStore.open(path: path)
        let clock = ManualClock()
        let now = clock.now()
        let app = Fixtures.application(at: now.addingTimeInterval(-200 * Self.day))
        try await store.insertApplication(app)
        let endpoint = Fixtures.endpoint(app: app, at: app.createdAt)
        try await store.insertEndpoint(endpoint)
        // 3 000 finished messages from 120 to 60 days ago: half are past a 90-day history retention.
        var generator = HistoryGenerator(
            targets: [.init(appId: app.id, endpointId: endpoint.id, url: endpoint.url)], total: 3_000,
            start: now.addingTimeInterval(-120 * Self.day), end: now.addingTimeInterval(-60 * Self.day))
        var createdAt: [Date] = []
        while case let batch = generator.next(500), !batch.isEmpty {
            createdAt += batch.map(\.message.createdAt)
            try await store.seedHistory(batch)
        }
        // Expired, but acknowledged and never delivered: their messages must survive every sweep.
        let waiting = (0..<3).map { _ in Fixtures.message(app: app, at: now.addingTimeInterval(-100 * Self.day)) }
        _ = try await store.insertMessages(
            waiting.map { NewMessage(message: $0, endpointIds: [endpoint.id], deliverAt: now.addingTimeInterval(90 * Self.day)) })

        let census = try Census(path: path)
        #expect(try census.count("PRAGMA auto_vacuum") == 2, "a new file is created with incremental auto-vacuum")
        let pagesBefore = try await store.pageCount()
        var configuration = RetentionService<SQLiteStore, ManualClock>.Configuration(interval: .seconds(Int64(Self.day)))
        configuration.historyRetention = .seconds(Int64(90 * Self.day))
        configuration.messageBatchSize = 100
        configuration.purgeShare = 1
        let service = RetentionService(configuration: configuration, store: store, clock: clock, logger: Logger(label: "test"))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await service.run() }
            #expect(await clock.waitForSleepers(1), "the first sweep finished")
            let cutoff = now.addingTimeInterval(-90 * Self.day).millisecondsSince1970
            let unexpired = createdAt.filter { $0.millisecondsSince1970 >= cutoff }.count
            #expect(unexpired > 1_000 && unexpired < 2_000)
            #expect(try census.count("SELECT COUNT(*) FROM message WHERE created_at >= ?", [cutoff]) == unexpired, "nothing unexpired lost")
            #expect(try census.count("SELECT COUNT(*) FROM message WHERE created_at < ?", [cutoff]) == waiting.count, "only undelivered expired kept")
            for message in waiting {
                #expect(try await store.deliveries(messageId: message.id).map(\.state) == [.pending])
            }
            #expect(try census.count("SELECT COUNT(*) FROM delivery WHERE message_id NOT IN (SELECT id FROM message)") == 0)
            #expect(try census.count("SELECT COUNT(*) FROM attempt WHERE message_id NOT IN (SELECT id FROM message)") == 0)
            #expect(try census.count("SELECT COUNT(*) FROM attempt") > unexpired, "the kept messages' attempts are kept")
            let pagesAfter = try await store.pageCount()
            // Half the history (1 KiB payloads, ~2.3 KiB per message with its rows) is ~850 pages of 4 KiB.
            #expect(pagesAfter < pagesBefore - 500, "pages \(pagesBefore) -> \(pagesAfter): the space was given back")
            #expect(try await store.freePageCount() < SQLiteStore.vacuumStep)

            // Thirty days later the rest of the seeded history has expired too; the waiting messages still stay.
            clock.advance(by: .seconds(Int64(30 * Self.day)))
            #expect(await clock.waitForSleepers(1), "the next sweep finished")
            #expect(try census.count("SELECT COUNT(*) FROM message") == waiting.count)
            #expect(try census.count("SELECT COUNT(*) FROM attempt") == 0)
            #expect(try census.count("SELECT COUNT(*) FROM delivery") == waiting.count)
            #expect(try await store.pageCount() < pagesAfter - 500)
            group.cancelAll()
        }
    }

    @Test func theMessagePurgeWaitsOnTheClockBetweenBatches() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        let store = try await SQLiteStore.open(path: path)
        let clock = ManualClock()
        let now = clock.now()
        let app = Fixtures.application(at: now.addingTimeInterval(-200 * Self.day))
        try await store.insertApplication(app)
        let old = (0..<250).map { _ in
            NewMessage(message: Fixtures.message(app: app, at: now.addingTimeInterval(-100 * Self.day)), endpointIds: [], deliverAt: now)
        }
        _ = try await store.insertMessages(old)
        var configuration = RetentionService<SQLiteStore, ManualClock>.Configuration()
        configuration.messageBatchSize = 100
        configuration.purgeShare = 0.5
        let service = RetentionService(configuration: configuration, store: store, clock: clock, logger: Logger(label: "test"))
        let census = try Census(path: path)

        try await withThrowingTaskGroup(of: RetentionSummary.self) { group in
            group.addTask { try await service.sweep(now: now) }
            #expect(await clock.waitForSleepers(1), "the sweep pauses after its first full batch")
            #expect(try census.count("SELECT COUNT(*) FROM message") == 150)
            #expect(clock.deadlines.allSatisfy { $0 > now }, "for as long as the batch took")
            clock.advance(by: .seconds(60))
            #expect(await clock.waitForSleepers(1), "and again after the second")
            #expect(try census.count("SELECT COUNT(*) FROM message") == 50)
            clock.advance(by: .seconds(60))
            let summary = try await group.next()
            #expect(summary?.messages == 250, "the last, short batch ends the purge without a pause")
            #expect(try census.count("SELECT COUNT(*) FROM message") == 0)
        }
    }

    @Test func expiredInboundRequestsGoWithTheHistory() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        let store = try await SQLiteStore.open(path: path)
        let clock = ManualClock()
        let now = clock.now()
        let app = Fixtures.application(at: now.addingTimeInterval(-200 * Self.day))
        try await store.insertApplication(app)
        let source = Source(
            id: Identifier.make(.source, at: app.createdAt), uid: nil, name: "github", appId: app.id,
            verification: SourceVerification(scheme: .none), secret: nil, dedupWindowSeconds: 60, createdAt: app.createdAt,
            updatedAt: app.createdAt)
        try await store.insertSource(source)
        func request(daysAgo: Double, key: String?) -> InboundRecord {
            let time = now.addingTimeInterval(-daysAgo * Self.day)
            return InboundRecord(
                id: Identifier.make(.inboundRequest, at: time), sourceId: source.id, status: .pending, verification: .verified, dedupKey: key,
                dedupUntil: time.addingTimeInterval(60), headers: [], body: Data(repeating: 0x61, count: 1024), receivedAt: time)
        }
        let old = (0..<3).map { request(daysAgo: 100, key: "old-\($0)") }
        let oldPending = request(daysAgo: 100, key: nil)
        let recent = request(daysAgo: 10, key: "recent")
        _ = try await store.insertInboundRequests(old + [oldPending, recent])
        try await store.routeInboundRequests((old + [recent]).map { .failed($0.id, reason: "application not found", now: now) })
        var configuration = RetentionService<SQLiteStore, ManualClock>.Configuration()
        configuration.purgeShare = 1
        let service = RetentionService(configuration: configuration, store: store, clock: clock, logger: Logger(label: "test"))

        let summary = try await service.sweep(now: now)
        #expect(summary.inboundRequests == 3, "the three finished requests past the 90-day history retention go")
        let census = try Census(path: path)
        #expect(try census.count("SELECT COUNT(*) FROM inbound_request") == 2, "the pending one and the recent one stay")
        #expect(try await store.inboundRequest(sourceId: source.id, id: oldPending.id)?.status == .pending)
        #expect(try census.count("SELECT COUNT(*) FROM inbound_dedup") == 1, "only the recent request's key is left")
    }

    @Test func anExistingFileKeepsItsModeAndABackupOfItGetsIncrementalVacuum() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        // A file that already holds a table when the store first opens it, as every file made before this change does.
        try await DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE legacy (x)") }
        let store = try await SQLiteStore.open(path: path)
        let app = Fixtures.application(at: Date())
        try await store.insertApplication(app)
        #expect(try Census(path: path).count("PRAGMA auto_vacuum") == 0, "switching an existing file would rewrite it: not done at start")
        #expect(try await store.purgeMessages(before: Date(), limit: 10) == 0)

        let copy = directory.path + "/backup.sqlite"
        _ = try SQLiteBackup.backup(from: path, to: copy)
        #expect(try Census(path: copy).count("PRAGMA auto_vacuum") == 2, "a backup is written with incremental auto-vacuum")
    }
}
