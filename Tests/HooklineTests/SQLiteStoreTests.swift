import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Testing

/// A fresh temporary folder, removed when the test ends.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("hookline-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct SQLiteStoreTests {
    @Test(arguments: StoreConformance.checks)
    func conformance(_ check: StoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
        try await check.run(store)
    }

    @Test func releasesLeasesOfACrashedProcess() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let store = try await SQLiteStore.open(path: path)
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        try await store.insertEndpoint(endpoint)
        let message = Fixtures.message(app: app, at: t0)
        _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0)])
        _ = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(3600)))
        let task = ClusterLease(name: "task:tsk_1", holder: "node-before", now: t0, until: t0.addingTimeInterval(60))
        #expect(try await store.acquireLease(task))

        let reopened = try await SQLiteStore.open(path: path)
        #expect(try await reopened.releaseLeases(now: t0) == 1)
        let takeOver = ClusterLease(name: "task:tsk_1", holder: "node-after", now: t0, until: t0.addingTimeInterval(60))
        #expect(try await reopened.acquireLease(takeOver), "the killed process's task lease does not hold the task back")
        let claimed = try await reopened.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(60)))
        #expect(claimed.map(\.message.id) == [message.id])
    }

    /// A 202 needs `synchronous = FULL` (2) on the writer; statement journals stay in memory (2) instead of a temporary file.
    @Test func writerCommitsDurablyAndJournalsStatementsInMemory() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
        let settings = try await store.writerSettings()
        #expect(settings.synchronous == 2)
        #expect(settings.tempStore == 2)
    }

    @Test func migrationsAreVersionedAndIdempotent() async throws {
        let directory = try TemporaryDirectory()
        _ = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
        _ = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
    }
}
