import Foundation
import HooklineCore
import HooklineTesting
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import HooklinePostgres

/// The PostgreSQL side of `HistoryQueryPlanTests`: every statement the list, status and retention reads run on a
/// seeded history has an index to use — explained with sequential scans disabled, none of them still scans
/// message, delivery, attempt or event (with a few thousand rows the planner would pick scans on merit, so the
/// test checks that an index exists for every such read, not which plan a large table would get).
@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL plan tests skipped"), .timeLimit(.minutes(5)))
struct HistoryQueryPlanPostgresTests {
    /// Keeps the statements the store's sessions trace.
    struct StatementCapture: LogHandler {
        /// Where the statements go.
        let log: Log
        /// The logger's metadata (unused).
        var metadata: Logger.Metadata = [:]
        /// Trace: the level sessions trace statements at.
        var logLevel: Logger.Level = .trace

        /// One metadata value (unused).
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        /// Keeps the statement a `statement` trace carries.
        func log(event: LogEvent) {
            guard case .stringConvertible(let value)? = event.metadata?["statement"], let traced = value as? PostgresTracedStatement else { return }
            log.statements.withLock { $0.append(traced.query) }
        }
    }

    /// The statements traced so far.
    final class Log: Sendable {
        /// In the order they ran.
        let statements = Mutex<[PostgresQuery]>([])

        /// The statements traced since the last call, then forgets them.
        func take() -> [PostgresQuery] {
            statements.withLock { list in
                defer { list = [] }; return list
            }
        }
    }

    @Test func listStatusAndRetentionReadsHaveIndexes() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let log = Log()
            let logger = Logger(label: "plan") { _ in StatementCapture(log: log) }
            let store = try PostgresStore(url: database.url, logger: logger)
            try await PostgresTestDatabase.running(store.client) {
                try await store.migrate()
                try await check(store, log)
            }
        }
    }

    private func check(_ store: PostgresStore, _ log: Log) async throws {
        let end = Date()
        let start = end.addingTimeInterval(-7 * 86_400)
        var targets: [HistoryGenerator.Target] = []
        var applications: [Application] = []
        for index in 0..<2 {
            let app = Fixtures.application(uid: "app-\(index)", at: start)
            try await store.insertApplication(app)
            applications.append(app)
            let endpoint = Fixtures.endpoint(app: app, at: start)
            try await store.insertEndpoint(endpoint)
            targets.append(.init(appId: app.id, endpointId: endpoint.id, url: endpoint.url))
        }
        var generator = HistoryGenerator(targets: targets, total: 2_000, start: start, end: end, eventsSince: start, payloadSize: 64, seed: 7)
        var sample = ""
        while case let batch = generator.next(500), !batch.isEmpty {
            if sample.isEmpty { sample = batch[10].message.id }
            try await store.seedHistory(batch)
        }
        // Plans follow the statistics: take them now, so that autovacuum's analyze, which may run at any moment of the
        // test, cannot switch plans between runs.
        try await store.writing { session in try await session.execute("ANALYZE message, delivery, attempt, event") }
        let app = targets[0].appId
        let endpoint = targets[0].endpointId
        var problems: [String] = []

        // Every statement `body` ran on the history tables, with its plan's lines.
        func explained(_ name: String, _ body: () async throws -> Void) async throws -> [(query: PostgresQuery, plan: [String])] {
            _ = log.take()
            try await body()
            let statements = log.take().filter { query in
                // A union's arms are parenthesised.
                let head = query.sql.trimmingCharacters(in: .whitespacesAndNewlines.union(["("])).prefix(6).uppercased()
                return ["SELECT", "UPDATE", "DELETE"].contains(head) || head.hasPrefix("WITH") && !query.sql.contains("pg_advisory")
            }
            #expect(!statements.isEmpty, "\(name) ran no statement")
            var explained: [(query: PostgresQuery, plan: [String])] = []
            for query in statements {
                let plan: [String] = try await store.writing { session in
                    // As on a large history: no sequential scans, and joins by index lookups (a hash or merge join
                    // walking a whole index is what the planner picks only for the test's small tables).
                    try await session.execute("SET LOCAL enable_seqscan = off")
                    try await session.execute("SET LOCAL enable_hashjoin = off")
                    try await session.execute("SET LOCAL enable_mergejoin = off")
                    return try await session.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds)).map {
                        try $0[0].decode(String.self)
                    }
                }
                _ = log.take()
                explained.append((query, plan))
            }
            return explained
        }

        func scans(_ name: String, _ body: () async throws -> Void) async throws {
            for (query, plan) in try await explained(name, body) {
                for (index, line) in plan.enumerated() {
                    let tables = ["message", "delivery", "attempt", "event"]
                    // A partition (`message_d20261130`, `message_default`) is its table.
                    // `delivery_queue` holds the active deliveries only, never history: reading all of it reads the backlog.
                    let onQueue = line.contains(" on delivery_queue")
                    let scanned =
                        !onQueue
                        && tables.contains {
                            line.contains("Seq Scan on \($0) ") || line.hasSuffix("Seq Scan on \($0)") || line.contains("Seq Scan on \($0)_")
                        }
                    // An index walked without a condition reads all of it (PostgreSQL's answer to a disabled sequential scan),
                    // unless a LIMIT above it stops the walk (a keyset page, the newest event of a kind).
                    let indexed = line.contains("Index Scan") || line.contains("Index Only Scan")
                    let onHistory =
                        !onQueue
                        && tables.contains { line.contains(" on \($0) ") || line.hasSuffix(" on \($0)") || line.contains(" on \($0)_") }
                    // The condition must bound the index's leading column: on a later one PostgreSQL still reads the whole index.
                    let used = leading.first { line.contains("using \($0.key) ") || line.contains("Bitmap Index Scan on \($0.key) ") }
                    let conditioned = plan.dropFirst(index + 1).prefix { !$0.contains("->") }.contains { condition in
                        condition.contains("Index Cond")
                            && used.map { condition.contains("(\($0.value) ") || condition.contains("(\($0.value) =") } ?? false
                    }
                    let limited = plan.prefix(index).contains { $0.contains("Limit") }
                    // A partial index of active deliveries holds only rows still to deliver, never history.
                    let active = activeIndexes.contains { line.contains("using \($0) ") }
                    if scanned || (indexed && onHistory && !conditioned && !limited && !active) {
                        problems.append("\(name): \(line.trimmingCharacters(in: .whitespaces)) in \(query.sql)")
                    }
                }
            }
        }

        // The partial indexes of delivery (their predicate keeps active rows only).
        let activeIndexes: [String] = try await store.reading { session in
            try await session.rows(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'delivery'::regclass AND i.indpred IS NOT NULL"
            ).map { try $0[0].decode(String.self) }
        }

        // Each history index's leading column, which an index condition must bound.
        let leading: [String: String] = try await store.reading { session in
            var columns: [String: String] = [:]
            let rows = try await session.rows(
                """
                SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname ~ '^(message|delivery|attempt|event)($|_)'

                """)
            for row in rows { columns[try row[0].decode(String.self)] = try row[1].decode(String.self) }
            return columns
        }
        var iterator: String?
        for _ in 0..<9 { iterator = try await store.messages(MessageQuery(appId: app, page: PageRequest(limit: 50, iterator: iterator))).iterator }
        try await scans("message list, first page") {
            let page = try await store.messages(MessageQuery(appId: app))
            #expect(page.items.count == 50)
        }
        try await scans("message list, 10 pages deep") {
            let page = try await store.messages(MessageQuery(appId: app, page: PageRequest(limit: 50, iterator: iterator)))
            #expect(page.items.count == 50)
        }
        // Each event type is one range of `message_app_type` (each day partition has its copy, named after the
        // partition): a type no message has costs nothing, several types are read one range each and merged in order.
        let typeIndexes: [String] = try await store.reading { session in
            try await session.rows(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'message_app_type'::regclass"
            ).map { try $0[0].decode(String.self) }
        }
        var listed: [String] = []
        let byType = try await explained("message list by event type") {
            let page = try await store.messages(MessageQuery(appId: app, filter: ListFilter(eventTypes: ["invoice.paid"])))
            #expect(page.items.count == 50 && page.items.allSatisfy { $0.eventType == "invoice.paid" })
            #expect(try await store.messages(MessageQuery(appId: app, filter: ListFilter(eventTypes: ["never.sent"]))).items.isEmpty)
            var iterator: String?
            for _ in 0..<3 {
                let page = try await store.messages(
                    MessageQuery(
                        appId: app, filter: ListFilter(eventTypes: ["invoice.paid", "user.signup", "invoice.paid"]),
                        page: PageRequest(limit: 50, iterator: iterator)))
                listed += page.items.map(\.id)
                iterator = page.iterator
            }
        }
        for (query, plan) in byType {
            #expect(
                plan.contains { line in typeIndexes.contains { line.contains(" on \($0) ") || line.contains("using \($0) ") } },
                "\(plan) in \(query.sql)")
        }
        let newest: [String] = try await store.reading { session in
            try await session.rows(
                "SELECT id FROM message WHERE app_id = \(app) AND event_type IN ('invoice.paid', 'user.signup') ORDER BY id DESC LIMIT 150"
            ).map { try $0[0].decode(String.self) }
        }
        #expect(listed.count == 150 && listed == newest, "three pages of two types are the newest 150 of either, in order")
        try await scans("message list by event type") {
            _ = try await store.messages(MessageQuery(appId: app, filter: ListFilter(eventTypes: ["invoice.paid", "user.signup"])))
        }
        // A channel or tag few messages carry is found through `message_channels` or `message_tags` (GIN), not by walking
        // the application's messages.
        let tenant = (0..<12).map { index in
            var message = Fixtures.message(app: applications[0], at: end.addingTimeInterval(Double(-index * 3_600)))
            message.channels = ["tenant-7"]
            message.tags = ["project-9"]
            return NewMessage(message: message, endpointIds: [], deliverAt: end)
        }
        _ = try await store.insertMessages(tenant)
        try await store.writing { session in try await session.execute("ANALYZE message") }
        for (index, filter) in [("message_channels", ListFilter(channel: "tenant-7")), ("message_tags", ListFilter(tag: "project-9"))] {
            let partitions: [String] = try await store.reading { session in
                try await session.rows(
                    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = \(index)::regclass"
                ).map { try $0[0].decode(String.self) }
            }
            let plan = try await explained("message list by \(index)") {
                let page = try await store.messages(MessageQuery(appId: app, filter: filter))
                #expect(page.items.map(\.id) == tenant.map(\.message.id).sorted(by: >))
            }.flatMap(\.plan)
            #expect(plan.contains { line in partitions.contains { line.contains(" on \($0)") } }, "\(plan.joined(separator: "\n"))")
        }
        try await scans("attempts by endpoint by event type") {
            let page = try await store.attempts(AttemptQuery(appId: app, endpointId: endpoint, filter: ListFilter(eventTypes: ["invoice.paid"])))
            #expect(page.items.count == 50)
        }
        // By message filters, each attempt looks its message up as the walk goes (a subplan per row): never a semi-join,
        // which for a rare type or channel set every message of it against every attempt of the endpoint.
        let filtered = try await explained("attempts by endpoint by event type and channel") {
            _ = try await store.attempts(AttemptQuery(appId: app, endpointId: endpoint, filter: ListFilter(eventTypes: ["invoice.paid"])))
            _ = try await store.attempts(AttemptQuery(appId: app, endpointId: endpoint, filter: ListFilter(channel: "tenant-7")))
        }
        for (query, plan) in filtered {
            #expect(plan.contains { $0.contains("SubPlan") } && !plan.contains { $0.contains("Semi Join") }, "\(plan) in \(query.sql)")
        }
        try await scans("message list by delivery state") { _ = try await store.messages(MessageQuery(appId: app, deliveryState: .succeeded)) }
        try await scans("endpoint's messages") { _ = try await store.endpointMessages(MessageQuery(appId: app), endpointId: endpoint) }
        try await scans("attempts by endpoint") {
            let page = try await store.attempts(AttemptQuery(appId: app, endpointId: endpoint))
            #expect(page.items.count == 50)
        }
        // An endpoint's failed attempts are read from their own partial index, not by walking its attempts.
        let failedAttempts = try await explained("failed attempts by endpoint") {
            let page = try await store.attempts(AttemptQuery(appId: app, endpointId: endpoint, status: .fail))
            #expect(!page.items.isEmpty && page.items.allSatisfy { $0.status == .fail })
        }.flatMap(\.plan)
        // Each day partition has its own copy of `attempt_failed`, named after the partition.
        let failedIndexes: [String] = try await store.reading { session in
            try await session.rows(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'attempt_failed'::regclass"
            ).map { try $0[0].decode(String.self) }
        }
        #expect(
            failedAttempts.contains { line in failedIndexes.contains { line.contains(" on \($0) ") || line.contains("using \($0) ") } },
            "\(failedIndexes) in \(failedAttempts.joined(separator: "\n"))")
        try await scans("attempts by message") {
            let page = try await store.attempts(AttemptQuery(appId: app, messageId: sample))
            #expect(!page.items.isEmpty)
        }
        try await scans("event stream resume") {
            let events = try await store.events(after: 100, limit: 256)
            #expect(events.count == 256)
            _ = try await store.eventLogBounds()
        }
        try await scans("endpoint stats, all time and the last hour") {
            let counts = try await store.deliveryCounts(endpointId: endpoint, since: nil, until: nil)
            #expect(counts.success + counts.fail > 500)
            _ = try await store.deliveryCounts(endpointId: endpoint, since: Date().addingTimeInterval(-3_600), until: nil)
        }
        // A window's stats search the endpoint's rows from the window's first message id on, not its whole history.
        let window = try await explained("endpoint stats, the last hour") {
            _ = try await store.deliveryCounts(endpointId: endpoint, since: Date().addingTimeInterval(-3_600), until: nil)
        }.flatMap(\.plan)
        #expect(window.contains { $0.contains("Index Cond") && $0.contains("message_id >=") }, "\(window.joined(separator: "\n"))")
        // A recovery batch reads the application's failures from the window's start (or its cursor) on, through
        // `delivery_failed`: never the endpoint's earlier failures.
        let recovery = try await explained("endpoint recovery, one batch") {
            let recovered = try await store.recoverDeliveries(
                RecoverBatch(endpointId: endpoint, since: end.addingTimeInterval(-3 * 86_400), until: nil, cursor: nil, limit: 5, now: Date()))
            #expect(recovered.count == 5)
        }.flatMap(\.plan)
        #expect(
            recovery.contains { $0.contains("Index Cond: ((app_id = ") && $0.contains("(message_id >= ") },
            "\(recovery.joined(separator: "\n"))")
        // A source's requests by a status few have (rejected, among pending ones) are read from their own partial
        // index, not by walking the source's requests newest first.
        let source = Source(
            id: Identifier.make(.source, at: end), uid: nil, name: "github", appId: app, verification: SourceVerification(scheme: .none),
            secret: nil, createdAt: end, updatedAt: end)
        try await store.insertSource(source)
        _ = try await store.insertInboundRequests(
            (0..<205).map { index in
                let time = end.addingTimeInterval(Double(index - 205))
                return InboundRecord(
                    id: Identifier.make(.inboundRequest, at: time), sourceId: source.id, status: index % 41 == 0 ? .rejected : .pending,
                    verification: .verified, headers: [], body: Data("{}".utf8), receivedAt: time)
            })
        try await store.writing { session in try await session.execute("ANALYZE inbound_request") }
        let rejected = try await explained("inbound requests by a rare status") {
            let page = try await store.inboundRequests(sourceId: source.id, status: .rejected, page: PageRequest(limit: 50))
            #expect(page.items.count == 5 && page.items.allSatisfy { $0.status == .rejected })
        }.flatMap(\.plan)
        #expect(rejected.contains { $0.contains("inbound_request_exception") }, "\(rejected.joined(separator: "\n"))")
        try await scans("status") {
            _ = try await store.latestEvent(kind: .messageCreated)
            _ = try await store.eventStatistics(since: Date().addingTimeInterval(-300))
            _ = try await EventWindow().statistics(from: store, since: Date().addingTimeInterval(-300))
            _ = try await store.queueDepth(now: Date())
            _ = try await store.nextDueTime()
        }
        try await scans("retention purge selection") {
            let cutoff = Date().addingTimeInterval(-3 * 86_400)
            _ = try await store.purgePayloads(createdBefore: cutoff, limit: 500, now: Date())
            _ = try await store.purgeAttemptResponses(before: cutoff, limit: 500)
            _ = try await store.deleteEvents(before: cutoff, limit: 5_000)
            _ = try await store.purgeInboundRequests(before: cutoff, limit: 500)
        }
        try await scans("claim of a backlog, past the per-endpoint limit (the fair path)") {
            // More due rows of one endpoint than the fast path scans, then one of another: the fair path must find it.
            let now = Date()
            var backlog = (0..<300).map { _ in
                NewMessage(message: Fixtures.message(app: applications[0], at: now), endpointIds: [endpoint], deliverAt: now)
            }
            let quiet = targets[1].endpointId
            backlog.append(NewMessage(message: Fixtures.message(app: applications[1], at: now), endpointIds: [quiet], deliverAt: now))
            _ = try await store.insertMessages(backlog)
            let batch = try await store.claimDeliveries(
                ClaimRequest(now: now.addingTimeInterval(1), limit: 16, leaseUntil: now.addingTimeInterval(60), perEndpointLimit: 8))
            #expect(batch.filter { $0.delivery.endpointId == endpoint }.count == 8)
            #expect(batch.contains { $0.delivery.endpointId == quiet }, "the quiet endpoint's row is in the batch")
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
