import Foundation
import GRDB
import HooklineCore
import HooklineTesting
import Testing

@testable import HooklineSQLite

/// Messages listed by delivery state (`?status=`) on a SQLite history: when few delivery rows match, the list reads them
/// through `delivery_endpoint` (or an application's failed rows through `delivery_failed`) and pages their messages by id
/// instead of walking the whole history (nothing pending, or a few failures, used to cost every message of the
/// application); when many match, it walks the newest messages, which finds a page sooner.
@Suite struct DeliveryStateListTests {
    /// The plan lines of the statements `body` ran against `message`.
    private static func messagePlans(_ seeded: HistoryQueryPlanTests.Seeded, _ body: () async throws -> Void) async throws -> [String] {
        _ = seeded.log.take()
        try await body()
        let statements = seeded.log.take().filter { $0.contains("FROM message") && $0.trimmingCharacters(in: .whitespaces).hasPrefix("SELECT") }
        #expect(!statements.isEmpty, "the list ran no statement on message")
        var lines: [String] = []
        for sql in statements {
            lines += try await seeded.store.pool.write { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { row -> String in row["detail"] }
            }
        }
        _ = seeded.log.take()
        return lines
    }

    /// Whether a plan walks an application's messages (its `message_app` range by application alone).
    private static func walks(_ plan: [String]) -> Bool {
        plan.contains { $0.hasPrefix("SEARCH message") && $0.hasSuffix("INDEX message_app (app_id=?)") }
    }

    @Test func fewMatchingRowsAreReadInsteadOfWalkingTheHistory() async throws {
        let directory = try TemporaryDirectory()
        let seeded = try await HistoryQueryPlanTests.Seeded(history: 1_200, in: directory.path)
        let store = seeded.store
        let app = seeded.targets[0].appId
        let endpoint = seeded.targets[0].endpointId

        // The seeded history is finished; the 20 messages `Seeded` added after it are pending.
        var pending: Page<Message>?
        let appPlan = try await Self.messagePlans(seeded) { pending = try await store.messages(MessageQuery(appId: app, deliveryState: .pending)) }
        #expect(pending?.items.count == 20)
        #expect(pending?.items.map(\.id) == pending?.items.map(\.id).sorted(by: >))
        #expect(!Self.walks(appPlan), "\(appPlan)")

        var toEndpoint: Page<EndpointMessage>?
        let endpointPlan = try await Self.messagePlans(seeded) {
            toEndpoint = try await store.endpointMessages(MessageQuery(appId: app, deliveryState: .pending), endpointId: endpoint)
        }
        #expect(toEndpoint?.items.count == 20)
        #expect(toEndpoint?.items.allSatisfy { $0.delivery.state == .pending } == true)
        #expect(!Self.walks(endpointPlan), "\(endpointPlan)")

        // A finished state is read the same way for one endpoint (its rows are all in `delivery_endpoint`)...
        var failedToEndpoint: Page<EndpointMessage>?
        let failedPlan = try await Self.messagePlans(seeded) {
            failedToEndpoint = try await store.endpointMessages(MessageQuery(appId: app, deliveryState: .failed), endpointId: endpoint)
        }
        #expect(failedToEndpoint?.items.isEmpty == false)
        #expect(failedToEndpoint?.items.allSatisfy { $0.delivery.state == .failed } == true)
        #expect(!Self.walks(failedPlan), "\(failedPlan)")

        // ...and for a whole application through `delivery_failed`, which keeps a deleted endpoint's failed rows too.
        var failed: Page<Message>?
        let appFailedPlan = try await Self.messagePlans(seeded) {
            failed = try await store.messages(MessageQuery(appId: app, deliveryState: .failed))
        }
        #expect(failed?.items.map(\.id) == failedToEndpoint?.items.map(\.message.id))
        #expect(!Self.walks(appFailedPlan), "\(appFailedPlan)")
        #expect(appFailedPlan.contains { $0.contains("INDEX delivery_failed") }, "\(appFailedPlan)")

        try await store.deleteEndpoint(appId: app, id: endpoint, now: Date())
        let afterDeletion = try await store.messages(MessageQuery(appId: app, deliveryState: .failed))
        #expect(afterDeletion.items.map(\.id) == failed?.items.map(\.id))
    }

    @Test func manyMatchingRowsAreFoundByWalkingTheNewestMessages() async throws {
        let directory = try TemporaryDirectory()
        let seeded = try await HistoryQueryPlanTests.Seeded(history: 200, in: directory.path)
        let store = seeded.store
        let target = seeded.targets[1]
        let app = try #require(try await store.application(target.appId))
        let now = Date()
        let backlog = (0..<DeliveryStateLookup.matchingRowLimit).map { _ in
            NewMessage(message: Fixtures.message(app: app, at: now), endpointIds: [target.endpointId], deliverAt: now.addingTimeInterval(60))
        }
        _ = try await store.insertMessages(backlog)

        var page: Page<Message>?
        let plan = try await Self.messagePlans(seeded) { page = try await store.messages(MessageQuery(appId: app.id, deliveryState: .pending)) }
        #expect(page?.items.map(\.id) == Array(backlog.map(\.message.id).sorted(by: >).prefix(50)))
        #expect(Self.walks(plan), "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("LIST SUBQUERY") }, "\(plan)")
    }
}
