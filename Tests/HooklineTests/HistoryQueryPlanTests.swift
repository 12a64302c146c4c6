import Foundation
import GRDB
import HooklineCore
import HooklineTesting
import Synchronization
import Testing

@testable import HooklineSQLite

/// Reads that touch finished rows stay flat as history grows: on a SQLite file holding a seeded history, every
/// statement each list, status and retention read runs searches an index — no full scan of message, delivery,
/// attempt or event, and no sort of every matching row — so a regression fails CI.
@Suite struct HistoryQueryPlanTests {
    /// The statements a store ran, with their arguments expanded.
    final class StatementLog: Sendable {
        private let lines = Mutex<[String]>([])

        /// Notes one statement.
        func record(_ sql: String) { lines.withLock { $0.append(sql) } }

        /// The statements noted since the last call, then forgets them.
        func take() -> [String] {
            lines.withLock { lines in
                defer { lines = [] }; return lines
            }
        }
    }

    /// A store with `history` finished messages over two applications (events for all of them) and a few active rows.
    struct Seeded {
        /// The store, tracing every statement into `log`.
        let store: SQLiteStore
        /// The statements it ran.
        let log: StatementLog
        /// The two applications' endpoints the history went to.
        let targets: [HistoryGenerator.Target]
        /// A seeded message of the first application.
        let sampleMessageId: String

        /// Seeds `history` messages into a new file in `directory`.
        init(history: Int, in directory: String) async throws {
            let log = StatementLog()
            self.log = log
            store = try await SQLiteStore.open(path: directory + "/hookline.sqlite", traceStatements: { log.record($0) })
            let end = Date()
            let start = end.addingTimeInterval(-7 * 86_400)
            var targets: [HistoryGenerator.Target] = []
            for index in 0..<2 {
                let app = Fixtures.application(uid: "app-\(index)", at: start)
                try await store.insertApplication(app)
                let endpoint = Fixtures.endpoint(app: app, at: start)
                try await store.insertEndpoint(endpoint)
                targets.append(.init(appId: app.id, endpointId: endpoint.id, url: endpoint.url))
            }
            self.targets = targets
            var generator = HistoryGenerator(targets: targets, total: history, start: start, end: end, eventsSince: start, payloadSize: 64, seed: 7)
            var first: String?
            while true {
                let batch = generator.next(1_000)
                if batch.isEmpty { break }
                first = first ?? batch[batch.count / 2].message.id
                try await store.seedHistory(batch)
            }
            sampleMessageId = first ?? ""
            let app = try #require(try await store.application("app-0"))
            let active = (0..<20).map { _ in
                NewMessage(message: Fixtures.message(app: app, at: end), endpointIds: [targets[0].endpointId], deliverAt: end.addingTimeInterval(60))
            }
            _ = try await store.insertMessages(active)
            _ = log.take()
        }

        /// Runs `body`, then explains every statement it ran on the history tables: each one with its plan's lines.
        func explained(_ name: String, _ body: () async throws -> Void) async throws -> [(sql: String, plan: [String])] {
            _ = log.take()
            try await body()
            let statements = log.take().filter { sql in
                let head = sql.trimmingCharacters(in: .whitespacesAndNewlines).prefix(6).uppercased()
                return ["SELECT", "UPDATE", "DELETE", "WITH  "].contains(head) || head.hasPrefix("WITH")
            }
            #expect(!statements.isEmpty, "\(name) ran no statement")
            var explained: [(sql: String, plan: [String])] = []
            for sql in statements {
                let plan: [String] = try await store.pool.write { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { row -> String in row["detail"] }
                }
                _ = log.take()
                explained.append((sql, plan))
            }
            return explained
        }

        /// Runs `body`, then explains every statement it ran on the history tables; returns the plan lines that scan.
        /// `sorts`: whether sorting the rows an index range found is fine (the status percentiles sort the window's events only);
        /// `lists`: whether `IN (SELECT …)` lists are fine (retention's, cut by `LIMIT` to one batch).
        func scans(_ name: String, sorts: Bool = false, lists: Bool = false, _ body: () async throws -> Void) async throws -> [String] {
            var problems: [String] = []
            for (sql, plan) in try await explained(name, body) {
                for line in plan
                where Self.isScan(line) && !(sorts && line.hasPrefix("USE TEMP B-TREE")) && !(lists && line.hasPrefix("LIST SUBQUERY")) {
                    problems.append("\(name): \(line) in \(sql)")
                }
            }
            return problems
        }

        /// Adds a source to application `app` with 200 pending and 5 rejected requests; returns the source's id.
        func inboundRequests(app: String) async throws -> String {
            let now = Date()
            let source = Source(
                id: Identifier.make(.source, at: now), uid: nil, name: "github", appId: app, verification: SourceVerification(scheme: .none),
                secret: nil, createdAt: now, updatedAt: now)
            try await store.insertSource(source)
            let records = (0..<205).map { index in
                let time = now.addingTimeInterval(Double(index - 205))
                return InboundRecord(
                    id: Identifier.make(.inboundRequest, at: time), sourceId: source.id, status: index % 41 == 0 ? .rejected : .pending,
                    verification: .verified, headers: [], body: Data("{}".utf8), receivedAt: time)
            }
            _ = try await store.insertInboundRequests(records)
            _ = log.take()
            return source.id
        }

        /// Whether a plan line reads a whole history table (or sorts every matching row).
        static func isScan(_ line: String) -> Bool {
            if line.hasPrefix("USE TEMP B-TREE FOR ORDER BY") { return true }
            // An `IN (SELECT …)` over delivery rows reads every row that matches before the page is cut.
            if line.hasPrefix("LIST SUBQUERY") { return true }
            // A per-message delivery lookup must seek by message, not walk one endpoint's rows.
            if line.hasPrefix("SEARCH d ") && !line.contains("message_id=?") { return true }
            guard line.hasPrefix("SCAN ") else { return false }
            // The partial indexes of active deliveries hold no finished row: walking one costs the backlog, not the history.
            if ["delivery_lane", "delivery_endpoint_lane"].contains(where: { line.hasSuffix("INDEX \($0)") }) { return false }
            let table = line.dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
            return ["message", "delivery", "attempt", "event", "d", "m"].contains(table)
        }
    }

    @Test func listStatusAndRetentionReadsSearchIndexes() async throws {
        let directory = try TemporaryDirectory()
        let seeded = try await Seeded(history: 3_000, in: directory.path)
        let store = seeded.store
        let app = seeded.targets[0].appId
        let endpoint = seeded.targets[0].endpointId
        var problems: [String] = []

        problems += try await seeded.scans("message list, first page") {
            let page = try await store.messages(MessageQuery(appId: app))
            #expect(page.items.count == 50)
        }
        var iterator: String?
        for _ in 0..<9 {
            iterator = try await store.messages(MessageQuery(appId: app, page: PageRequest(limit: 50, iterator: iterator))).iterator
        }
        problems += try await seeded.scans("message list, 10 pages deep") {
            let page = try await store.messages(MessageQuery(appId: app, page: PageRequest(limit: 50, iterator: iterator)))
            #expect(page.items.count == 50)
        }
        // Each event type is one range of `message_app_type`: a type no message has costs nothing, not a walk of the
        // application's messages; several types are read one range each and merged, in order, a page at a time.
        let byType = try await seeded.explained("message list by event type") {
            let page = try await store.messages(MessageQuery(appId: app, filter: ListFilter(eventTypes: ["invoice.paid"])))
            #expect(page.items.count == 50 && page.items.allSatisfy { $0.eventType == "invoice.paid" })
            let none = try await store.messages(MessageQuery(appId: app, filter: ListFilter(eventTypes: ["never.sent"])))
            #expect(none.items.isEmpty)
        }
        let types = ["invoice.paid", "user.signup", "invoice.paid"]
        var listed: [String] = []
        let byTypes = try await seeded.explained("message list by two event types") {
            var iterator: String?
            for _ in 0..<3 {
                let page = try await store.messages(
                    MessageQuery(appId: app, filter: ListFilter(eventTypes: types), page: PageRequest(limit: 50, iterator: iterator)))
                listed += page.items.map(\.id)
                iterator = page.iterator
            }
        }
        let newest = try await store.pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM message WHERE app_id = ? AND event_type IN ('invoice.paid', 'user.signup') ORDER BY id DESC LIMIT 150",
                arguments: [app])
        }
        #expect(listed.count == 150 && listed == newest, "three pages of two types are the newest 150 of either, in order")
        for (sql, plan) in byType + byTypes {
            let ranges = sql.components(separatedBy: "UNION ALL").count
            #expect(plan.filter { $0.contains("message_app_type (app_id=? AND event_type=?") }.count == ranges, "\(plan) in \(sql)")
            // Merging the ranges sorts at most a page of each.
            let merge = ranges > 1 ? "USE TEMP B-TREE FOR ORDER BY" : nil
            problems += plan.filter { Seeded.isScan($0) && $0 != merge }.map { "by type: \($0) in \(sql)" }
        }
        problems += try await seeded.scans("message list by delivery state") {
            let page = try await store.messages(MessageQuery(appId: app, deliveryState: .succeeded))
            #expect(page.items.count == 50)
        }
        problems += try await seeded.scans("endpoint's messages") {
            let page = try await store.endpointMessages(MessageQuery(appId: app), endpointId: endpoint)
            #expect(page.items.count == 50)
        }
        problems += try await seeded.scans("endpoint's messages by delivery state") {
            let page = try await store.endpointMessages(MessageQuery(appId: app, deliveryState: .succeeded), endpointId: endpoint)
            #expect(page.items.count == 50)
        }
        problems += try await seeded.scans("attempts by endpoint") {
            let page = try await store.attempts(AttemptQuery(appId: app, endpointId: endpoint))
            #expect(page.items.count == 50)
        }
        // By event type, each attempt looks its message up, so the walk stops after a page: no list of every message of
        // the type (in every application) first.
        var typed: [Attempt] = []
        let typedPlan = try await seeded.explained("attempts by endpoint by event type") {
            typed = try await store.attempts(AttemptQuery(appId: app, endpointId: endpoint, filter: ListFilter(eventTypes: ["invoice.paid"]))).items
        }.flatMap(\.plan)
        problems += typedPlan.filter(Seeded.isScan)
        #expect(typedPlan.contains { $0.contains("COVERING INDEX message_app_type (app_id=? AND event_type=? AND id=?)") }, "\(typedPlan)")
        let typedTypes = try await store.pool.read { [typed] db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT event_type FROM message WHERE id IN (\(typed.map { "'\($0.messageId)'" }.joined(separator: ",")))")
        }
        #expect(typed.count == 50 && typedTypes == ["invoice.paid"])
        // An endpoint's failed attempts are read from their own partial index, not by walking its attempts.
        let failedAttempts = try await seeded.explained("failed attempts by endpoint") {
            let page = try await store.attempts(AttemptQuery(appId: app, endpointId: endpoint, status: .fail))
            #expect(!page.items.isEmpty && page.items.allSatisfy { $0.status == .fail })
        }.flatMap(\.plan)
        #expect(failedAttempts.contains { $0.contains("attempt_failed (endpoint_id=?)") }, "\(failedAttempts)")
        problems += try await seeded.scans("attempts by message") {
            let page = try await store.attempts(AttemptQuery(appId: app, messageId: seeded.sampleMessageId))
            #expect(!page.items.isEmpty)
        }
        problems += try await seeded.scans("event stream resume") {
            let events = try await store.events(after: 100, limit: 256)
            #expect(events.count == 256)
            _ = try await store.eventLogBounds()
        }
        problems += try await seeded.scans("status", sorts: true) {
            _ = try await store.latestEvent(kind: .messageCreated)
            _ = try await store.latestEvent(kind: .deliverySucceeded)
            _ = try await store.eventStatistics(since: Date().addingTimeInterval(-300))
            _ = try await EventWindow().statistics(from: store, since: Date().addingTimeInterval(-300))
            _ = try await store.queueDepth(now: Date())
            _ = try await store.nextDueTime()
        }
        problems += try await seeded.scans("endpoint stats, all time") {
            let counts = try await store.deliveryCounts(endpointId: endpoint, since: nil, until: nil)
            #expect(counts.success + counts.fail + counts.pending > 1_000)
        }
        // Stats for a window read the window's messages, found by id from the window's start, never the endpoint's
        // whole history in `delivery_endpoint` with a message read per row.
        let window = try await seeded.explained("endpoint stats, the last hour") {
            _ = try await store.deliveryCounts(endpointId: endpoint, since: Date().addingTimeInterval(-3_600), until: nil)
        }
        let day = Date().addingTimeInterval(-86_400)
        let counted = try await store.deliveryCounts(endpointId: endpoint, since: day, until: nil)
        let expected = try await store.pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM delivery JOIN message ON message.id = delivery.message_id
                    WHERE delivery.endpoint_id = ? AND message.created_at >= ?
                    """, arguments: [endpoint, day.millisecondsSince1970])
        }
        #expect(
            counted.success + counted.pending + counted.sending + counted.fail + counted.canceled == expected, "a day's stats count that day's rows")
        #expect((expected ?? 0) > 100)
        let windowPlan = window.flatMap(\.plan)
        #expect(windowPlan.contains { $0.contains("message_app (app_id=? AND id>?)") }, "\(windowPlan)")
        #expect(!windowPlan.contains { $0.contains("delivery_endpoint") || Seeded.isScan($0) }, "\(windowPlan)")
        // A recovery batch walks the application's failures in message order from the window's start (or its cursor)
        // and stops after its limit: no read, and no sort, of the endpoint's earlier failures.
        problems += try await seeded.scans("endpoint recovery, one batch", lists: true) {
            let recovered = try await store.recoverDeliveries(
                RecoverBatch(endpointId: endpoint, since: day, until: nil, cursor: nil, limit: 5, now: Date()))
            #expect(recovered.count == 5)
        }
        // A source's requests by a status few have (rejected, among pending ones) are read from their own partial
        // index, not by walking the source's requests newest first.
        let inbound = try await seeded.inboundRequests(app: app)
        let rejected = try await seeded.explained("inbound requests by a rare status") {
            let page = try await store.inboundRequests(sourceId: inbound, status: .rejected, page: PageRequest(limit: 50))
            #expect(page.items.count == 5 && page.items.allSatisfy { $0.status == .rejected })
        }
        let rejectedPlan = rejected.flatMap(\.plan)
        #expect(rejectedPlan.contains { $0.contains("inbound_request_exception (source_id=? AND status=?)") }, "\(rejectedPlan)")
        problems += try await seeded.scans("start-up lease release") {
            _ = try await store.releaseLeases(now: Date())
        }
        problems += try await seeded.scans("retention purge selection", lists: true) {
            let cutoff = Date().addingTimeInterval(-3 * 86_400)
            _ = try await store.purgePayloads(createdBefore: cutoff, limit: 500, now: Date())
            _ = try await store.purgeAttemptResponses(before: cutoff, limit: 500)
            _ = try await store.deleteEvents(before: cutoff, limit: 5_000)
            _ = try await store.purgeInboundRequests(before: cutoff, limit: 500)
            #expect(try await store.purgeMessages(before: cutoff, limit: 200) == 200)
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
