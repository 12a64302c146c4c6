import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Logging
import ServiceLifecycle
import Testing

@Suite(.timeLimit(.minutes(3))) struct TaskRunnerTests {
    @Test func recoversThousandsOfDeliveriesInBatches() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/db.sqlite")
        let clock = ManualClock()
        let t0 = clock.now()
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        try await store.insertEndpoint(endpoint)
        let count = 1_200
        let batch = (0..<count).map { index in
            NewMessage(
                message: Fixtures.message(app: app, at: t0.addingTimeInterval(Double(index) / 1000)), endpointIds: [endpoint.id], deliverAt: t0)
        }
        _ = try await store.insertMessages(batch)
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: count, leaseUntil: t0.addingTimeInterval(60)))
        try await store.completeDeliveries(
            claimed.map {
                DeliveryOutcome(claimed: $0, attempt: nil, next: .failed, now: t0)
            })

        let tasks = WakeSignal()
        let deliveries = WakeSignal()
        let runner = TaskRunner(
            configuration: .init(batchSize: 100), store: store, clock: clock, tasks: tasks, deliveries: deliveries, logger: Logger(label: "test"))
        let group = ServiceGroup(services: [runner], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { running in
            running.addTask { try await group.run() }
            let task = BackgroundTask(
                id: Identifier.make(.task, at: t0), kind: .endpointRecover, status: .running, appId: app.id, endpointId: endpoint.id,
                since: t0, until: nil, createdAt: t0, updatedAt: t0)
            try await store.insertTask(task)
            tasks.signal()
            // The runner goes back to sleep on the clock once it has no running task left.
            #expect(await Deadline.wait(timeout: .seconds(20), signal: clock.sleeps) { (try? await store.task(id: task.id)?.status) == .finished })
            #expect(try await store.task(id: task.id)?.processed == count)
            let due = try await store.claimDeliveries(ClaimRequest(now: t0, limit: count + 1, leaseUntil: t0.addingTimeInterval(60)))
            #expect(due.count == count && due.allSatisfy(\.delivery.manual), "every failed delivery is due again, as manual")
            await group.triggerGracefulShutdown()
            try await running.waitForAll()
        }
    }
}
