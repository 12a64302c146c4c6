import Foundation
import HooklineCore
import HooklineHTTP
import HooklinePostgres
import HooklineSQLite
import HooklineTesting
import Logging
import Testing

@Suite struct HealthVerdictTests {
    let now = Date(millisecondsSince1970: 1_800_000_000_000)

    @Test func healthyWhenEverythingHolds() {
        let facts = HealthFacts(oldestDue: now.addingTimeInterval(-120), engineProgress: now.addingTimeInterval(-1), freeSpace: 1 << 30)
        let report = facts.verdict(now: now, stallAfter: .seconds(60), minFreeSpace: 1 << 20)
        #expect(report.ok && report.status == "ok")
        #expect(report.checks.map(\.name) == ["store", "deliveries", "disk", "migrations"])
    }

    @Test func stalledOnlyWhenDueAndIdleBothExceedTheLimit() {
        let idle = HealthFacts(oldestDue: now.addingTimeInterval(-61), engineProgress: now.addingTimeInterval(-61))
        let stalled = idle.verdict(now: now, stallAfter: .seconds(60), minFreeSpace: 0)
        #expect(!stalled.ok && stalled.status == "failing")
        #expect(stalled.checks[1].reason?.contains("stalled") == true)
        var fresh = idle
        fresh.oldestDue = now.addingTimeInterval(-59)
        #expect(fresh.verdict(now: now, stallAfter: .seconds(60), minFreeSpace: 0).ok, "a delivery due for less than stall-after")
        var busy = idle
        busy.engineProgress = now.addingTimeInterval(-2)
        #expect(busy.verdict(now: now, stallAfter: .seconds(60), minFreeSpace: 0).ok, "a draining backlog is not a stall")
        var nothingDue = idle
        nothingDue.oldestDue = nil
        #expect(nothingDue.verdict(now: now, stallAfter: .seconds(60), minFreeSpace: 0).ok)
    }

    @Test func storeDiskAndMigrationsNameTheirReason() {
        let down = HealthFacts(storeError: "connection refused").verdict(now: now, stallAfter: .seconds(60), minFreeSpace: 0)
        #expect(down.checks.first { !$0.ok }?.reason == "store unreachable: connection refused")
        let full = HealthFacts(freeSpace: 4096).verdict(now: now, stallAfter: .seconds(60), minFreeSpace: 1 << 20)
        #expect(full.checks.filter { !$0.ok }.map(\.name) == ["disk"])
        let behind = HealthFacts(pendingMigrations: ["v9-next"]).verdict(now: now, stallAfter: .seconds(60), minFreeSpace: 0)
        #expect(behind.checks.first { !$0.ok }?.reason == "pending migrations: v9-next")
    }
}

@Suite(.timeLimit(.minutes(3))) struct ReadinessTests {
    @Test func diskNearlyFullTurnsReadinessRedAndBack() async throws {
        // The store check's answer time is not what this test is about: in a full parallel run on a loaded machine the
        // store took longer than the 5 s default to answer (readiness red for "store"), so it is bounded by the suite's limit.
        try await TestNode.with(.router, configure: { $0.health.storeTimeout = .seconds(180) }) { node in
            let api = node.api(apiKey: nil)
            let green = try await api.call("GET", "/api/v1/health/ready")
            #expect(green.status == 200, "\(String(decoding: green.body, as: UTF8.self))")
            #expect((green.json["checks"] as? [[String: Any]])?.count == 4)
            // The page-count fault: SQLite may grow by one more page only, far below the default 256 MiB minimum.
            try await node.store.setMaxPageCount(try await node.store.pageCount() + 1)
            let red = try await api.call("GET", "/api/v1/health/ready")
            #expect(red.status == 503)
            #expect(red.json["status"] as? String == "failing")
            let failing = (red.json["checks"] as? [[String: Any]] ?? []).filter { $0["ok"] as? Bool == false }
            #expect(failing.map { $0["name"] as? String } == ["disk"])
            #expect((failing.first?["reason"] as? String)?.hasPrefix("low disk: ") == true)
            #expect(try await api.call("GET", "/api/v1/health").status == 200, "liveness stays green")
            try await node.store.setMaxPageCount(nil)
            #expect(try await api.call("GET", "/api/v1/health/ready").status == 200)
        }
    }

    @Test func engineStalledBehindAHungReceiverTurnsReadinessRed() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            // One delivery slot, held by a receiver that hangs: the second message stays due and nothing is attempted.
            try await TestNode.with(
                requestTimeout: .seconds(20),
                configure: { configuration in
                    configuration.engine.concurrency = 1
                    configuration.health.stallAfter = .zero
                }
            ) { node in
                let api = APIClient(baseURL: node.baseURL)
                #expect(try await api.call("POST", "/api/v1/app", json: ["name": "Shop", "uid": "shop"]).status == 201)
                #expect(try await api.call("POST", "/api/v1/app/shop/endpoint", json: ["url": receiverURL + "/hook"]).status == 201)
                // Held long enough that a loaded machine still asks for readiness while the slot is taken.
                receiver.delayNext(1, by: .seconds(10))
                #expect(try await api.call("POST", "/api/v1/app/shop/msg", json: ["eventType": "a.b", "payload": ["n": 1]]).status == 202)
                #expect(await receiver.waitFor(1).count == 1)
                #expect(try await api.call("POST", "/api/v1/app/shop/msg", json: ["eventType": "a.b", "payload": ["n": 2]]).status == 202)
                let red = try await api.call("GET", "/api/v1/health/ready")
                try #require(receiver.received.count == 1, "the first delivery still holds the only slot")
                #expect(red.status == 503)
                let failing = (red.json["checks"] as? [[String: Any]] ?? []).filter { $0["ok"] as? Bool == false }
                #expect(failing.map { $0["name"] as? String } == ["deliveries"])
                #expect((failing.first?["reason"] as? String)?.hasPrefix("stalled: ") == true)
                // The receiver answers: the second delivery starts, nothing is due any more.
                #expect(await receiver.waitFor(2, timeout: .seconds(40)).count == 2)
                #expect(try await api.call("GET", "/api/v1/health/ready").status == 200)
            }
        }
    }

    @Test(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: the PostgreSQL readiness check is skipped"))
    func stoppedPostgreSQLTurnsTheStoreCheckRed() async throws {
        let database = try await PostgresTestDatabase.create()
        let store = try database.makeStore()
        try await PostgresTestDatabase.running(store.client) {
            try await store.migrate()
            let activity = EngineActivity()
            let check = HealthCheck(
                configuration: .init(storeTimeout: .seconds(10)), store: store, clock: SystemClock(), activity: activity,
                logger: Logger(label: "health-test"))
            let before = await check.evaluate()
            #expect(before.ok, "\(before)")
            #expect(before.checks.first { $0.name == "migrations" }?.ok == true)
            try await database.drop()
            let after = await check.evaluate()
            #expect(!after.ok)
            #expect(after.checks.filter { !$0.ok }.map(\.name) == ["store"])
            #expect(after.checks.first?.reason?.hasPrefix("store unreachable") == true)
        }
    }

    @Test func theVerdictsAreExportedAsGauges() async throws {
        let directory = try TemporaryDirectory()
        // No disk has a million GiB free: the disk check fails, the others pass.
        let server = try HooklineProcess(arguments: DurabilityTests.arguments + ["--data-dir", directory.path, "--min-free-disk", "1000000GB"])
        let base = try await server.baseURL()
        let ready = try await APIClient(baseURL: base, apiKey: nil).call("GET", "/api/v1/health/ready")
        #expect(ready.status == 503)
        let text = String(decoding: try await APIClient(baseURL: base, apiKey: nil).call("GET", "/metrics").body, as: UTF8.self)
        func value(_ series: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
        }
        #expect(value(#"hookline_health_check{check="disk"}"#) == 0, "\(text.split(separator: "\n").filter { $0.contains("health") })")
        #expect(value(#"hookline_health_check{check="store"}"#) == 1)
        #expect(value(#"hookline_health_check{check="deliveries"}"#) == 1)
        #expect(value(#"hookline_health_check{check="migrations"}"#) == 1)
        #expect(value("hookline_ready") == 0)
        #expect((value("hookline_storage_free_bytes") ?? 0) > 0)
        #expect(value("hookline_pending_migrations") == 0)
        #expect(await server.terminate(SIGTERM) == 0)
    }
}
