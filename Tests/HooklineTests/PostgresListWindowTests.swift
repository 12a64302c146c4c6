import Foundation
import HooklineCore
import HooklineTesting
import Logging
import PostgresNIO
import Testing

@testable import HooklinePostgres

/// Lists of the day-partitioned tables read the day around their cursor first (`PostgresListQuery.page`): pages come
/// out exactly as an unbounded read would give them, and a page the near day fills plans only the partitions of that
/// day, not every day of the history.
@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL list tests skipped"), .timeLimit(.minutes(5)))
struct PostgresListWindowTests {
    /// A store whose statements `log` keeps, on a fresh database, with day partitions from `days` ago through 3 days ahead.
    func withStore(days: Int, _ body: (PostgresStore, HistoryQueryPlanPostgresTests.Log) async throws -> Void) async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let log = HistoryQueryPlanPostgresTests.Log()
            let logger = Logger(label: "window") { _ in HistoryQueryPlanPostgresTests.StatementCapture(log: log) }
            let store = try PostgresStore(url: database.url, logger: logger)
            try await PostgresTestDatabase.running(store.client) {
                try await store.migrate()
                let now = Date()
                // Five days per transaction: each stays well inside the store's deadline on a busy machine, where one
                // transaction of every day's partitions (and their indexes) did not.
                for first in stride(from: -days, through: 3, by: 5) {
                    _ = try await store.createPartitions(
                        from: now.addingTimeInterval(Double(first) * 86_400), through: now.addingTimeInterval(Double(min(first + 4, 3)) * 86_400))
                }
                try await body(store, log)
            }
        }
    }

    /// An application created at `created` with one endpoint, and the history target they make.
    func target(createdAt created: Date, in store: PostgresStore) async throws -> (Application, Endpoint, HistoryGenerator.Target) {
        let app = Fixtures.application(at: created)
        try await store.insertApplication(app)
        let endpoint = Fixtures.endpoint(app: app, at: created)
        try await store.insertEndpoint(endpoint)
        return (app, endpoint, HistoryGenerator.Target(appId: app.id, endpointId: endpoint.id, url: endpoint.url))
    }

    /// The plan of `query` with sequential scans disabled: which index PostgreSQL reads for it on a large table.
    func explainWithoutSequentialScans(_ query: PostgresQuery, in store: PostgresStore) async throws -> [String] {
        try await store.writing { session in
            try await session.execute("SET LOCAL enable_seqscan = off")
            return try await session.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds)).map { try $0[0].decode(String.self) }
        }
    }

    /// An application with one message every `spacing` seconds back from now, newest first.
    func messages(_ count: Int, every spacing: TimeInterval, in store: PostgresStore) async throws -> (Application, [String]) {
        let now = Date()
        let app = Fixtures.application(at: now.addingTimeInterval(-Double(count) * spacing - 60))
        try await store.insertApplication(app)
        let made = (0..<count).map { Fixtures.message(app: app, at: now.addingTimeInterval(-Double($0) * spacing)) }
        _ = try await store.insertMessages(made.map { NewMessage(message: $0, endpointIds: [], deliverAt: now) })
        return (app, made.map(\.id).sorted(by: >))
    }

    /// Paged forwards and then backwards across days (most pages straddle their cursor's window), the list is exactly
    /// the messages in order, with every page full until the last.
    @Test func pagesAcrossDaysMatchTheWholeOrder() async throws {
        try await withStore(days: 12) { store, _ in
            let (app, ids) = try await messages(40, every: 7 * 3_600, in: store)
            var forward: [String] = []
            var pages: [Page<Message>] = []
            var iterator: String?
            repeat {
                let page = try await store.messages(MessageQuery(appId: app.id, page: PageRequest(limit: 6, iterator: iterator)))
                forward += page.items.map(\.id)
                pages.append(page)
                iterator = page.iterator
            } while !(pages.last?.done ?? true)
            #expect(forward == ids)
            #expect(pages.dropLast().allSatisfy { $0.items.count == 6 })
            var backward: [String] = []
            var previous = pages.last?.prevIterator
            while let cursor = previous {
                let page = try await store.messages(MessageQuery(appId: app.id, page: PageRequest(limit: 6, iterator: cursor)))
                backward = page.items.map(\.id) + backward
                previous = page.done ? nil : page.prevIterator
            }
            #expect(backward == Array(ids.dropLast(pages.last?.items.count ?? 0)))
        }
    }

    /// A first page and a deep page that their day fills run one statement each, planned over the partitions of a day or
    /// two around their cursor (plus those ahead of now and the default one for the first page), not the 40 days stored.
    @Test func aPageItsDayFillsPlansOnlyThatDay() async throws {
        try await withStore(days: 40) { store, log in
            let (app, ids) = try await messages(400, every: 240, in: store)
            let cursor = ids[200]
            for (name, iterator) in [("first page", nil), ("deep page", cursor)] as [(String, String?)] {
                _ = log.take()
                let page = try await store.messages(MessageQuery(appId: app.id, page: PageRequest(limit: 50, iterator: iterator)))
                #expect(page.items.count == 50, "\(name)")
                let reads = log.take().filter { $0.sql.hasPrefix("SELECT * FROM message") }
                #expect(reads.count == 1, "\(name): \(reads.map(\.sql))")
                let query = try #require(reads.first)
                let plan = try await store.reading { session in
                    try await session.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds)).map { try $0[0].decode(String.self) }
                }
                let days = Set(
                    plan.compactMap { line in line.range(of: "message_d").map { String(line[$0.upperBound...].prefix(8)) } }.filter {
                        $0.count == 8 && $0.allSatisfy(\.isNumber)
                    })
                let origin = iterator.flatMap { Identifier.time(of: $0, kind: .message) } ?? Date()
                let oldest = PostgresPartitionDay(containing: origin.addingTimeInterval(-86_400))
                #expect(!days.isEmpty, "\(name) read no day partition: \(plan)")
                #expect(days.allSatisfy { (PostgresPartitionDay(label: $0)?.start ?? 0) >= oldest.start }, "\(name) planned days \(days.sorted())")
                #expect(days.count <= 6, "\(name) planned days \(days.sorted())")
            }
        }
    }
    /// With four applications' messages interleaved, a page of one of them walks its own index (`message_app`,
    /// `attempt_endpoint`) on every partition, never the primary key with a filter — the walk that passes every row of
    /// another application's burst.
    @Test func aPageWalksItsApplicationsIndex() async throws {
        try await withStore(days: 3) { store, log in
            let now = Date()
            var apps: [Application] = []
            var endpoints: [Endpoint] = []
            for index in 0..<4 {
                let app = Fixtures.application(uid: "app-\(index)", at: now.addingTimeInterval(-3 * 86_400))
                try await store.insertApplication(app)
                apps.append(app)
                let endpoint = Fixtures.endpoint(app: app, at: app.createdAt)
                try await store.insertEndpoint(endpoint)
                endpoints.append(endpoint)
            }
            let targets = zip(apps, endpoints).map { HistoryGenerator.Target(appId: $0.id, endpointId: $1.id, url: $1.url) }
            var generator = HistoryGenerator(
                targets: targets, total: 4_000, start: now.addingTimeInterval(-2 * 86_400), end: now, eventsSince: now, payloadSize: 64, seed: 3)
            while case let batch = generator.next(1_000), !batch.isEmpty { try await store.seedHistory(batch) }
            try await store.writing { session in try await session.execute("ANALYZE message, attempt") }
            for (name, read) in [
                ("messages", { _ = try await store.messages(MessageQuery(appId: apps[0].id)) }),
                ("attempts by endpoint", { _ = try await store.attempts(AttemptQuery(appId: apps[0].id, endpointId: endpoints[0].id)) }),
            ] as [(String, () async throws -> Void)] {
                _ = log.take()
                try await read()
                let reads = log.take().filter { $0.sql.hasPrefix("SELECT * FROM") }
                #expect(!reads.isEmpty, "\(name) ran no list statement")
                for query in reads {
                    let plan = try await explainWithoutSequentialScans(query, in: store)
                    #expect(!plan.contains { $0.contains("_pkey") }, "\(name): \(plan.joined(separator: "\n"))")
                    #expect(plan.contains { $0.contains("Index Scan") }, "\(name): \(plan.joined(separator: "\n"))")
                }
            }
        }
    }
    /// The attempts of a message sent days ago plan only the partitions from the day before the message's on, not the
    /// 30 days stored before it, though the first page's window (the last day) holds none of them.
    @Test func aMessagesAttemptsPlanOnlyItsDays() async throws {
        try await withStore(days: 30) { store, log in
            let now = Date()
            let (app, _, target) = try await target(createdAt: now.addingTimeInterval(-30 * 86_400), in: store)
            var generator = HistoryGenerator(
                targets: [target], total: 200, start: now.addingTimeInterval(-29 * 86_400), end: now.addingTimeInterval(-10 * 86_400),
                eventsSince: now, payloadSize: 64, seed: 5)
            var sample: SeededMessage?
            while case let batch = generator.next(100), !batch.isEmpty {
                sample = sample ?? batch.last
                try await store.seedHistory(batch)
            }
            let message = try #require(sample)
            _ = log.take()
            let page = try await store.attempts(AttemptQuery(appId: app.id, messageId: message.message.id))
            #expect(page.items.map(\.id) == message.attempts.map(\.id).sorted(by: >))
            let sent = PostgresPartitionDay(containing: message.message.createdAt)
            for query in log.take().filter({ $0.sql.hasPrefix("SELECT * FROM attempt") }) {
                let plan = try await store.reading { session in
                    try await session.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds)).map { try $0[0].decode(String.self) }
                }
                let days = plan.compactMap { line in line.range(of: "attempt_d").map { String(line[$0.upperBound...].prefix(8)) } }
                    .compactMap { PostgresPartitionDay(label: $0) }
                #expect(!days.isEmpty, "\(plan)")
                #expect(days.allSatisfy { $0 >= sent.adding(days: -1) }, "planned \(days.map(\.label).sorted()) for a message of \(sent.label)")
            }
        }
    }
}
