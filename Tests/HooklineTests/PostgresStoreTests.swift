import Foundation
import HooklineCore
import HooklinePostgres
import HooklineTesting
import Logging
import PostgresNIO
import Synchronization
import Testing

@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL store tests skipped"), .timeLimit(.minutes(5)))
struct PostgresStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test(arguments: StoreConformance.checks)
    func conformance(_ check: StoreConformance.Check) async throws {
        try await PostgresTestDatabase.withStore { store in try await check.run(store) }
    }

    @Test func migrationsAreVersionedAndSafeToRunTogether() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let first = try database.makeStore()
            let second = try database.makeStore()
            try await PostgresTestDatabase.running(first.client) {
                try await PostgresTestDatabase.running(second.client) {
                    async let a: Void = first.migrate()
                    async let b: Void = second.migrate()
                    _ = try await (a, b)
                    try await first.migrate()
                    let versions = try await first.client.query("SELECT version FROM hookline_migration ORDER BY version")
                        .collect().map { try $0.decode(Int.self) }
                    #expect(versions == Array(1...PostgresMigrations.latestVersion))
                }
            }
        }
    }

    /// Two nodes claiming the same queue at once never lease one delivery twice.
    @Test func concurrentClaimsNeverLeaseTheSameDeliveryTwice() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let first = try database.makeStore()
            let second = try database.makeStore()
            try await PostgresTestDatabase.running(first.client) {
                try await PostgresTestDatabase.running(second.client) {
                    try await first.migrate()
                    let app = Fixtures.application(at: Self.t0)
                    try await first.insertApplication(app)
                    var endpointIds: [String] = []
                    for index in 0..<4 {
                        let endpoint = Fixtures.endpoint(app: app, at: Self.t0.addingTimeInterval(Double(index)))
                        try await first.insertEndpoint(endpoint)
                        endpointIds.append(endpoint.id)
                    }
                    let batch = (0..<150).map { index in
                        NewMessage(message: Fixtures.message(app: app, at: Self.t0), endpointIds: [endpointIds[index % 4]], deliverAt: Self.t0)
                    }
                    _ = try await first.insertMessages(batch)
                    @Sendable func drain(_ store: PostgresStore) async throws -> [Int64] {
                        var leased: [Int64] = []
                        while true {
                            let claimed = try await store.claimDeliveries(
                                ClaimRequest(now: Self.t0, limit: 7, leaseUntil: Self.t0.addingTimeInterval(3600)))
                            if claimed.isEmpty { return leased }
                            leased += claimed.map(\.delivery.id)
                        }
                    }
                    async let a = drain(first)
                    async let b = drain(second)
                    async let c = drain(first)
                    async let d = drain(second)
                    let all = try await a + b + c + d
                    #expect(all.count == 150, "every delivery leased once, got \(all.count)")
                    #expect(Set(all).count == all.count, "no delivery leased twice")
                }
            }
        }
    }

    /// A change committed through one client reaches a change feed listening on another.
    @Test func changeFeedHearsAnotherClientsInsert() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let writer = try database.makeStore()
            let listener = try database.makeStore()
            try await PostgresTestDatabase.running(writer.client) {
                try await PostgresTestDatabase.running(listener.client) {
                    try await writer.migrate()
                    let (app, endpoint) = (Fixtures.application(at: Self.t0), Fixtures.endpoint(app: Fixtures.application(at: Self.t0), at: Self.t0))
                    try await writer.insertApplication(app)
                    var target = endpoint
                    target.appId = app.id
                    try await writer.insertEndpoint(target)
                    let heard = Mutex<[StoreChange]>([])
                    let signal = WakeSignal()
                    let feed = PostgresChangeFeed(client: listener.client, logger: PostgresTestDatabase.logger)
                    let listening = Task {
                        try await feed.listen { change in
                            heard.withLock { $0.append(change) }
                            signal.signal()
                        }
                    }
                    defer { listening.cancel() }
                    // LISTEN starts asynchronously: insert until a notification comes back (a real-time deadline bounds it).
                    var received = false
                    for _ in 0..<40 where !received {
                        _ = try await writer.insertMessages([
                            NewMessage(message: Fixtures.message(app: app, at: Self.t0), endpointIds: [target.id], deliverAt: Self.t0)
                        ])
                        received = await Deadline.wait(timeout: .milliseconds(250), signal: signal) {
                            heard.withLock { $0.contains(.deliveriesDue) && $0.contains(.eventsAppended) }
                        }
                    }
                    #expect(received, "the feed reported deliveries due and events appended")
                }
            }
        }
    }
}

@Suite struct PostgresURLTests {
    @Test func parsesEveryPartAndNeverShowsThePassword() throws {
        let url = try PostgresURL("postgres://hook:s3cr%40t@db.internal:6543/hookline?sslmode=require")
        #expect(url.username == "hook" && url.password == "s3cr@t" && url.host == "db.internal" && url.port == 6543)
        #expect(url.database == "hookline" && url.tls == .require)
        #expect(!url.description.contains("s3cr"))
        #expect(try PostgresURL(url.urlString) == url)
        let plain = try PostgresURL("postgresql://127.0.0.1/hookline_test")
        #expect(plain.username == "postgres" && plain.port == 5432 && plain.tls == .disable && plain.password == nil)
    }

    @Test func malformedURLsAreRejectedWithoutEchoingThem() {
        for text in ["mysql://u:hunter2@h/db", "not a url :hunter2", "postgres://u:hunter2@h/db?sslmode=sometimes"] {
            do {
                _ = try PostgresURL(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(!String(describing: error).contains("hunter2"))
            }
        }
    }
}
