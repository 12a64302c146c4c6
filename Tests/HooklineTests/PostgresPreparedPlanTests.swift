import Foundation
import HooklineCore
import HooklineTesting
import Logging
import PostgresNIO
import Testing

@testable import HooklinePostgres

/// The ingest, key-claim and completion statements are prepared on each connection, so PostgreSQL may settle on a generic plan
/// made while the tables were empty: that plan must still find `application`, `endpoint` and `delivery` rows by their
/// primary key and scan no table, and every ingest, key claim and completion must run its one prepared text (a
/// differing text would quietly run unprepared).
@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL plan tests skipped"), .timeLimit(.minutes(3)))
struct PostgresPreparedPlanTests {
    @Test(arguments: [
        (PostgresSession.CompletionStatement.sql, ["delivery_pkey", "endpoint_pkey"]),
        (PostgresSession.IngestStatement.sql, ["application_pkey"]),
        (PostgresSession.KeyClaimStatement.sql, []),
    ])
    func aGenericPlanMadeOnEmptyTablesLooksRowsUpByIndex(sql: String, lookups: [String]) async throws {
        try await PostgresTestDatabase.withDatabase { database in
            try await database.withStore { store in
                let parameters = Set(sql.matches(of: /\$([0-9]+)/).map { Int($0.output.1)! }).count
                #expect(parameters >= 7, "the statement's bindings are parameters")
                let plan: [String] = try await store.writing { session in
                    try await session.execute("SET LOCAL plan_cache_mode = force_generic_plan")
                    try await session.execute(PostgresQuery(unsafeSQL: "PREPARE generic_probe AS " + sql))
                    let nulls = Array(repeating: "NULL", count: parameters).joined(separator: ", ")
                    let lines = try await session.rows(PostgresQuery(unsafeSQL: "EXPLAIN EXECUTE generic_probe(\(nulls))")).map {
                        try $0[0].decode(String.self)
                    }
                    try await session.execute("DEALLOCATE generic_probe")
                    return lines
                }
                let text = plan.joined(separator: "\n")
                for lookup in lookups {
                    #expect(text.contains("Index Scan using \(lookup) ") || text.contains("Bitmap Index Scan on \(lookup) "), "\(text)")
                }
                let scanned = ["application", "endpoint", "delivery", "message", "message_event_id", "attempt", "event", "idempotency_key"].filter {
                    text.contains("Seq Scan on \($0) ")
                }
                #expect(scanned.isEmpty, "\(text)")
            }
        }
    }

    @Test func everyIngestAndCompletionRunsThePreparedText() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let log = HistoryQueryPlanPostgresTests.Log()
            let logger = Logger(label: "completion") { _ in HistoryQueryPlanPostgresTests.StatementCapture(log: log) }
            let store = try PostgresStore(url: database.url, logger: logger)
            try await PostgresTestDatabase.running(store.client) {
                try await store.migrate()
                let t0 = Date(timeIntervalSince1970: 1_800_000_000)
                let app = Fixtures.application(uid: "shop", at: t0)
                try await store.insertApplication(app)
                let endpoint = Fixtures.endpoint(app: app, at: t0)
                try await store.insertEndpoint(endpoint)
                _ = log.take()
                for index in 0..<3 {
                    var item = NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [endpoint.id], deliverAt: t0)
                    if index == 0 {  // as the Svix SDKs send: a key whose record commits with the message
                        item.idempotency = IdempotencyClaim(key: "scope-1", createdAt: t0, expiresAt: t0.addingTimeInterval(3600))
                            .record(IdempotentResponse(status: 202, contentType: "application/json", body: Data("{}".utf8)))
                    }
                    _ = try await store.insertMessages([item])
                }
                let ingests = log.take()
                #expect(ingests.filter { $0.sql == PostgresSession.IngestStatement.sql }.count == 3, "every ingest ran the prepared text")
                #expect(ingests.filter { $0.sql == PostgresSession.KeyClaimStatement.sql }.count == 1, "the key was claimed by the prepared text")
                let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 10, leaseUntil: t0.addingTimeInterval(30)))
                #expect(claimed.count == 3)
                _ = log.take()
                // A failure that starts the endpoint's streak and schedules a retry, then successes that end it.
                try await store.completeDeliveries([
                    DeliveryOutcome(
                        claimed: claimed[0], attempt: Fixtures.attempt(for: claimed[0], status: .fail, code: 500, at: t0),
                        next: .retry(at: t0.addingTimeInterval(5)), now: t0)
                ])
                try await store.completeDeliveries(
                    claimed[1...].map {
                        DeliveryOutcome(
                            claimed: $0, attempt: Fixtures.attempt(for: $0, status: .success, code: 200, at: t0), next: .succeeded, now: t0)
                    })
                let completions = log.take().filter { $0.sql.contains("INSERT INTO attempt") }
                #expect(completions.count >= 2, "both completions ran the statement")
                #expect(completions.allSatisfy { $0.sql == PostgresSession.CompletionStatement.sql }, "one prepared text")
                let stored = try await store.deliveries(messageId: claimed[1].message.id)
                #expect(stored.map(\.state) == [.succeeded], "the statement still records the outcome")
            }
        }
    }
}
