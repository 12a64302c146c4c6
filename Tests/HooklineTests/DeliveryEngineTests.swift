import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Logging
import ServiceLifecycle
import Testing

/// An engine over a real SQLite store, a manual clock and a scripted transport.
struct EngineHarness {
    let store: SQLiteStore
    let clock = ManualClock()
    let transport = RecordingTransport()
    let wake = WakeSignal()
    /// The engine's idle poll: far beyond any test, so an idle engine sleeps until the next due time or this.
    let idlePollInterval: Duration = .seconds(3600)
    let engine: DeliveryEngine<SQLiteStore, RecordingTransport, ManualClock>
    let committer: GroupCommitter<SQLiteStore>
    let gateway: Gateway<SQLiteStore, ManualClock>

    /// Opens the store off the concurrency pool (`SQLiteStore.open`): a new file's migrations fsync two dozen times.
    init(path: String, schedule: [Duration], autoDisable: AutoDisablePolicy = AutoDisablePolicy()) async throws {
        store = try await SQLiteStore.open(path: path)
        let logger = Logger(label: "test")
        let executor = DeliveryExecutor<RecordingTransport, ManualClock>.Configuration(
            retryPolicy: RetryPolicy(schedule: schedule, jitter: 0), autoDisable: autoDisable)
        engine = DeliveryEngine(
            configuration: .init(concurrency: 4, idlePollInterval: idlePollInterval, executor: executor), store: store,
            transport: transport, clock: clock, wake: wake, logger: logger)
        committer = GroupCommitter(store: store, committed: wake, logger: logger)
        gateway = Gateway(
            configuration: .init(networkPolicy: NetworkPolicy(allowed: [IPRange("127.0.0.0/8")!])), store: store, clock: clock,
            committer: committer, logger: logger)
    }

    /// Runs committer and engine for the duration of `body`, then shuts them down gracefully.
    func run(_ body: @Sendable (EngineHarness) async throws -> Void) async throws {
        let group = ServiceGroup(services: [committer, engine], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(self)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Waits until the engine went idle: it is the only task asleep on the clock, until `deadline` (the next time a
    /// delivery is due; by default none is, and it sleeps its idle poll interval). Its outcomes are recorded by then.
    func waitUntilIdle(until deadline: Date? = nil, timeout: Duration = .seconds(10)) async -> Bool {
        let expected = deadline ?? clock.now().adding(idlePollInterval)
        return await Deadline.wait(timeout: timeout, signal: clock.sleeps) { clock.deadlines == [expected] && engine.unrecordedOutcomes == 0 }
    }

    func seed(eventTypes: [String]? = nil) async throws -> (Application, Endpoint) {
        let (app, _) = try await gateway.createApplication(ApplicationDraft(name: "Engine"))
        let endpoint = try await gateway.createEndpoint(
            appIdOrUid: app.id, EndpointDraft(url: "http://127.0.0.1:9/hook", eventTypes: eventTypes, secret: Fixtures.secret.encoded))
        return (app, endpoint)
    }

    func attempts(of message: Message) async throws -> [Attempt] {
        try await store.attempts(AttemptQuery(appId: message.appId, messageId: message.id)).items.reversed()
    }
}

@Suite(.timeLimit(.minutes(3))) struct DeliveryEngineTests {
    @Test func retriesOnScheduleThenSucceeds() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [.seconds(5), .seconds(60)])
        try await harness.run { harness in
            let (app, _) = try await harness.seed()
            harness.transport.script([TransportResponse(statusCode: 500, body: "boom"), TransportResponse(statusCode: nil, body: "refused")])
            let message = try await harness.gateway.createMessage(
                appIdOrUid: app.id, MessageDraft(eventType: "user.created", payload: .object(["n": .integer(1)])))

            let start = harness.clock.now()
            #expect(await harness.transport.waitForRequests(1) == 1)
            #expect(await harness.waitUntilIdle(until: start.adding(.seconds(5))), "the engine sleeps until the first retry is due")
            #expect(try await harness.store.deliveries(messageId: message.id).first?.attempts == 1)
            #expect(harness.clock.advance(by: .seconds(4)) == 0, "no retry before its time: nothing wakes")
            #expect(harness.transport.requests.count == 1)
            harness.clock.advance(by: .seconds(1))
            #expect(await harness.transport.waitForRequests(2) == 2)
            #expect(await harness.waitUntilIdle(until: start.adding(.seconds(65))), "then until the second")
            #expect(try await harness.store.deliveries(messageId: message.id).first?.attempts == 2)
            harness.clock.advance(by: .seconds(60))
            #expect(await harness.transport.waitForRequests(3) == 3)
            #expect(await harness.waitUntilIdle(), "then nothing is due")
            #expect(try await harness.store.deliveries(messageId: message.id).first?.state == .succeeded)

            let attempts = try await harness.attempts(of: message)
            #expect(attempts.map(\.status) == [.fail, .fail, .success])
            #expect(attempts.map(\.responseStatusCode) == [500, 0, 200])
            let ids = Set(harness.transport.requests.map { $0.headers.first { $0.name == "webhook-id" }?.value })
            #expect(ids == [message.id], "webhook-id is stable across retries")
        }
    }

    @Test func exhaustedDeliveriesAreDeadLettered() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [.seconds(1)])
        try await harness.run { harness in
            let (app, _) = try await harness.seed()
            harness.transport.script(Array(repeating: TransportResponse(statusCode: 503, body: "down"), count: 2))
            let message = try await harness.gateway.createMessage(appIdOrUid: app.id, MessageDraft(eventType: "a", payload: .object([:])))
            #expect(await harness.transport.waitForRequests(1) == 1)
            #expect(await harness.waitUntilIdle(until: harness.clock.now().adding(.seconds(1))))
            #expect(try await harness.store.deliveries(messageId: message.id).first?.attempts == 1)
            harness.clock.advance(by: .seconds(2))
            #expect(await harness.waitUntilIdle(), "nothing is due after the last attempt")
            #expect(try await harness.store.deliveries(messageId: message.id).first?.state == .failed)
            #expect(try await harness.attempts(of: message).map(\.status) == [.fail, .fail])
            #expect(try await harness.store.nextDueTime() == nil)
        }
    }

    @Test func signsWithStandardWebhooksHeaders() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [])
        try await harness.run { harness in
            let (app, _) = try await harness.seed()
            let message = try await harness.gateway.createMessage(
                appIdOrUid: app.id, MessageDraft(eventType: "a", payload: .object(["k": .string("v")])))
            #expect(await harness.transport.waitForRequests(1) == 1)
            let request = try #require(harness.transport.requests.first)
            let headers = Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            let timestamp = Int64(harness.clock.now().timeIntervalSince1970)
            let expected = WebhookSigner().signature(id: message.id, timestamp: timestamp, body: request.body, secrets: [Fixtures.secret])
            #expect(headers["webhook-id"] == message.id)
            #expect(headers["webhook-timestamp"] == String(timestamp))
            #expect(headers["webhook-signature"] == expected)
            #expect(headers["svix-signature"] == expected)
            #expect(headers["content-type"] == "application/json")
            #expect(headers["user-agent"]?.hasPrefix("Hookline/") == true)
            #expect(request.body == message.payload)
        }
    }

    @Test func routesOnlyToMatchingEndpoints() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [])
        try await harness.run { harness in
            let (app, _) = try await harness.seed(eventTypes: ["invoice.paid"])
            let skipped = try await harness.gateway.createMessage(appIdOrUid: app.id, MessageDraft(eventType: "user.created", payload: .object([:])))
            let routed = try await harness.gateway.createMessage(appIdOrUid: app.id, MessageDraft(eventType: "invoice.paid", payload: .object([:])))
            #expect(try await harness.store.deliveries(messageId: skipped.id).isEmpty)
            #expect(try await harness.store.deliveries(messageId: routed.id).count == 1)
            #expect(await harness.transport.waitForRequests(1) == 1)
        }
    }
}
