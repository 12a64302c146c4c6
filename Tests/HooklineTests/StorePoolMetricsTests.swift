import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// `/metrics` reports the store's connection pool on both stores: scraped from real `hookline serve` processes.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StorePoolMetricsTests {
    /// The value of the sample `name{labels}` in a scrape, or nil when the scrape does not have it.
    static func sample(_ text: String, _ name: String, _ labels: String) -> Double? {
        let prefix = "\(name){\(labels)} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    static func scrape(_ base: String) async throws -> String {
        String(decoding: try await APIClient(baseURL: base, apiKey: nil).call("GET", "/metrics").body, as: UTF8.self)
    }

    @Test func countsWaitersAndConnectionsThroughOneLease() {
        let meter = StorePoolMeter(store: "test", role: "connection", maximum: 4)
        let first = meter.lease()
        let second = meter.lease()
        #expect(meter.current == (inUse: 0, waiters: 2))
        first.acquired()
        #expect(meter.current == (inUse: 1, waiters: 1))
        first.gaveUp()
        #expect(meter.current == (inUse: 1, waiters: 1), "a caller giving up on a running operation leaves it holding its connection")
        second.gaveUp()
        second.acquired()
        #expect(meter.current == (inUse: 1, waiters: 0), "an operation whose caller gave up while it waited is never counted as holding one")
        first.released()
        first.released()
        #expect(meter.current == (inUse: 0, waiters: 0))
    }

    @Test func sqliteNodeSamplesWriterAndReaderWaitsAtEachScrape() async throws {
        let directory = try TemporaryDirectory()
        let server = try HooklineProcess(arguments: DurabilityTests.arguments + ["--data-dir", directory.path])
        let base = try await server.baseURL()
        let first = try await Self.scrape(base)
        let second = try await Self.scrape(base)
        for role in ["writer", "reader"] {
            let labels = #"store="sqlite",role="\#(role)""#
            let before = try #require(Self.sample(first, "hookline_store_pool_acquire_seconds_count", labels), "\(first)")
            let after = try #require(Self.sample(second, "hookline_store_pool_acquire_seconds_count", labels))
            #expect(after == before + 1, "each scrape samples one \(role) wait")
            #expect(Self.sample(second, "hookline_store_pool_acquire_seconds_bucket", labels + #",le="+Inf""#) == after)
        }
        #expect(Self.sample(second, "hookline_store_pool_connections_max", #"store="sqlite",role="writer""#) == 1)
        #expect((Self.sample(second, "hookline_store_pool_connections_max", #"store="sqlite",role="reader""#) ?? 0) >= 1)
        #expect(!second.contains("hookline_store_pool_connections_in_use{store=\"sqlite\""), "SQLite's queues are sampled, not counted")
        #expect(await server.terminate(SIGTERM) == 0)
    }

    @Test(.enabled(if: PostgresEnvironment.enabled, "set HOOKLINE_TEST_DATABASE_URL to run the PostgreSQL pool metrics test"))
    func postgresNodeCountsEveryAcquisition() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let server = try HooklineProcess(arguments: ClusterTests.arguments(database: database.url))
            let base = try await server.baseURL()
            let labels = #"store="postgres",role="connection""#
            let first = try await Self.scrape(base)
            let before = try #require(Self.sample(first, "hookline_store_pool_acquire_seconds_count", labels), "\(first)")
            #expect(Self.sample(first, "hookline_store_pool_connections_in_use", labels) != nil)
            #expect(Self.sample(first, "hookline_store_pool_waiters", labels) != nil)
            #expect(Self.sample(first, "hookline_store_pool_connections_max", labels) == 20, "PostgresNIO's default pool size")

            // Each API call below runs at least one store operation, so at least one acquisition each.
            let api = APIClient(baseURL: base)
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Pool"]).json["id"] as? String)
            for index in 0..<3 {
                #expect(try await api.call("GET", "/api/v1/app/\(appId)/msg?limit=\(index + 1)").status == 200)
            }
            let after = try #require(Self.sample(try await Self.scrape(base), "hookline_store_pool_acquire_seconds_count", labels))
            #expect(after >= before + 4, "every store operation records its wait for a connection: \(before) -> \(after)")
            #expect(await server.terminate(SIGTERM) == 0)
        }
    }
}
