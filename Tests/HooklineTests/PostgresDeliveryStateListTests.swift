import Foundation
import HooklineCore
import HooklineTesting
import Logging
import PostgresNIO
import Testing

@testable import HooklinePostgres

/// An application's messages by an active delivery state (`?status=1`, pending) on PostgreSQL read the matching rows
/// through `delivery_endpoint_message` (endpoint, state, message), and by the failed state (`?status=2`) through
/// `delivery_failed`, not every delivery row of the application: with nothing pending or a few failures on a history, the
/// list used to read the whole application's rows.
@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL list tests skipped"), .timeLimit(.minutes(5)))
struct PostgresDeliveryStateListTests {
    @Test func pendingMessagesAreFoundThroughTheEndpointsStateIndex() async throws {
        let lists = PostgresListWindowTests()
        try await lists.withStore(days: 3) { store, log in
            let now = Date()
            let (app, endpoint, _) = try await Self.history(in: store, lists: lists, now: now)
            let pending = (0..<20).map { _ in
                NewMessage(message: Fixtures.message(app: app, at: now), endpointIds: [endpoint.id], deliverAt: now.addingTimeInterval(60))
            }
            _ = try await store.insertMessages(pending)
            try await store.writing { session in try await session.execute("ANALYZE message, delivery") }

            _ = log.take()
            let page = try await store.messages(MessageQuery(appId: app.id, deliveryState: .pending))
            #expect(page.items.map(\.id) == pending.map(\.message.id).sorted(by: >))
            for plan in try await Self.messagePlans(log, store: store, lists: lists) {
                let text = plan.joined(separator: "\n")
                #expect(!plan.contains { $0.contains("delivery_app") }, "read every row of the application: \(text)")
                let lookup = plan.firstIndex { $0.contains("using delivery_endpoint_message") || $0.contains("on delivery_endpoint_message") }
                let condition = lookup.flatMap { index in plan.dropFirst(index + 1).first { $0.contains("Index Cond") } }
                #expect(condition?.contains("state") == true, "the state does not bound the index read: \(text)")
            }
        }
    }

    @Test func failedMessagesAreFoundThroughTheFailedIndexDeletedEndpointsIncluded() async throws {
        let lists = PostgresListWindowTests()
        try await lists.withStore(days: 3) { store, log in
            let now = Date()
            let (app, endpoint, failedIds) = try await Self.history(in: store, lists: lists, now: now)
            #expect(!failedIds.isEmpty, "the seeded history has no failed delivery")
            try await store.writing { session in try await session.execute("ANALYZE message, delivery") }

            _ = log.take()
            let page = try await store.messages(MessageQuery(appId: app.id, deliveryState: .failed))
            #expect(page.items.map(\.id) == Array(failedIds.sorted(by: >).prefix(50)))
            for plan in try await Self.messagePlans(log, store: store, lists: lists) {
                let text = plan.joined(separator: "\n")
                #expect(!plan.contains { $0.contains("delivery_app") }, "read every row of the application: \(text)")
                #expect(plan.contains { $0.contains("delivery_failed") }, "the failed rows' index is not read: \(text)")
            }

            try await store.deleteEndpoint(appId: app.id, id: endpoint.id, now: now)
            let afterDeletion = try await store.messages(MessageQuery(appId: app.id, deliveryState: .failed))
            #expect(afterDeletion.items.map(\.id) == page.items.map(\.id))
        }
    }

    /// An application with one endpoint and 600 finished messages of the last two days; returns the ids of the failed ones.
    static func history(in store: PostgresStore, lists: PostgresListWindowTests, now: Date) async throws -> (Application, Endpoint, [String]) {
        let (app, endpoint, target) = try await lists.target(createdAt: now.addingTimeInterval(-3 * 86_400), in: store)
        var generator = HistoryGenerator(
            targets: [target], total: 600, start: now.addingTimeInterval(-2 * 86_400), end: now, eventsSince: now, payloadSize: 64, seed: 9)
        var failedIds: [String] = []
        while case let batch = generator.next(300), !batch.isEmpty {
            failedIds += batch.filter { $0.finalState == .failed }.map(\.message.id)
            try await store.seedHistory(batch)
        }
        return (app, endpoint, failedIds)
    }

    /// The plans, without sequential scans, of the reads of `message` the store logged since the log was last taken.
    static func messagePlans(_ log: HistoryQueryPlanPostgresTests.Log, store: PostgresStore, lists: PostgresListWindowTests) async throws
        -> [[String]]
    {
        let reads = log.take().filter { $0.sql.hasPrefix("SELECT * FROM message") }
        #expect(!reads.isEmpty, "the list ran no statement on message")
        var plans: [[String]] = []
        for query in reads { plans.append(try await lists.explainWithoutSequentialScans(query, in: store)) }
        return plans
    }
}
