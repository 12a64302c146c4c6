import Foundation
import GRDB
import HooklineCore
import HooklineTesting
import Testing

@testable import HooklineSQLite

/// The claim stays cheap on a table full of finished rows: every statement of `SQLiteClaimPlan` and `SQLiteDueReads` searches an index.
@Suite struct ClaimQueryPlanTests {
    @Test func claimStatementsSearchIndexesOnly() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        let busy = Fixtures.endpoint(app: app, at: t0)
        try await store.insertEndpoint(busy)
        let quiet = Fixtures.endpoint(app: app, uid: "quiet", at: t0)
        try await store.insertEndpoint(quiet)
        let finished = (0..<5_000).map { _ in
            NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [busy.id, quiet.id], deliverAt: t0)
        }
        _ = try await store.insertMessages(finished)
        try await store.pool.write { db in try db.execute(sql: "UPDATE delivery SET state = 2") }
        let backlog = (0..<2_000).map { _ in NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [busy.id], deliverAt: t0) }
        _ = try await store.insertMessages(backlog)
        let fresh = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: fresh, endpointIds: [quiet.id], deliverAt: t0.addingTimeInterval(1))])

        let statements: [(String, StatementArguments, String)] = [
            (SQLiteClaimPlan.dueSQL, ["now": 0, "scan": 64], "delivery_lane"),
            (SQLiteClaimPlan.endpointDueSQL, ["now": 0, "scan": 64, "endpoint": busy.id], "delivery_endpoint_lane"),
            (SQLiteClaimPlan.dueEndpointsSQL, ["now": 0, "after": "", "max": 64], "delivery_endpoint_lane"),
            (SQLiteClaimPlan.headSQL, [busy.id, busy.id], "delivery_endpoint"),
            (SQLiteClaimPlan.dueRowSQL, ["now": 0, "id": 1], "PRIMARY KEY"),
            (SQLiteDueReads.anyDueSQL, [0], "delivery_lane"),
            (SQLiteDueReads.earliestSQL, [], "delivery_lane"),
            (SQLiteDueReads.earliestAfterSQL, [0], "delivery_lane"),
        ]
        for (sql, arguments, index) in statements {
            let plan: [String] = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { row -> String in row["detail"] }
            }
            let fullScan = plan.contains { (line: String) in line.hasPrefix("SCAN delivery") }
            let usesIndex = plan.contains { (line: String) in line.contains(index) }
            #expect(!fullScan, "no full scan of delivery: \(plan)")
            #expect(usesIndex, "uses \(index): \(plan)")
        }

        let now = t0.addingTimeInterval(2)
        let batch = try await store.claimDeliveries(ClaimRequest(now: now, limit: 64, leaseUntil: now.addingTimeInterval(60), perEndpointLimit: 32))
        #expect(batch.contains { $0.message.id == fresh.id }, "the fresh message to the quiet endpoint is in the first batch")
        #expect(batch.filter { $0.delivery.endpointId == busy.id }.count == 32)
    }
}
