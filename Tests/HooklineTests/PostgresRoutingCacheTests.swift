import Foundation
import HooklineCore
import HooklinePostgres
import HooklineTesting
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing

/// One node of a cluster in process: a PostgreSQL store with its own pool and routing cache, a committer and a gateway.
private struct ClusterNode {
    let store: PostgresStore
    let committer: GroupCommitter<PostgresStore>
    let gateway: Gateway<PostgresStore, ManualClock>

    init(_ database: PostgresTestDatabase, clock: ManualClock) throws {
        let logger = Logger(label: "test")
        store = try database.makeStore()
        committer = GroupCommitter(store: store, committed: WakeSignal(), logger: logger)
        gateway = Gateway(
            configuration: .init(networkPolicy: NetworkPolicy(allowed: [IPRange("127.0.0.0/8")!])), store: store, clock: clock,
            committer: committer, logger: logger)
    }

    /// Creates a message of `eventType` on this node and returns its delivery rows' states by endpoint id.
    func send(_ appIdOrUid: String, _ eventType: String = "user.created") async throws -> (Message, [String: DeliveryState]) {
        let message = try await gateway.createMessage(appIdOrUid: appIdOrUid, MessageDraft(eventType: eventType, payload: .object([:])))
        let rows = try await store.deliveries(messageId: message.id)
        return (message, Dictionary(rows.map { ($0.endpointId, $0.state) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The endpoint ids of the routing snapshot this node holds for `appIdOrUid` (its cache when warm).
    func routedEndpointIds(_ appIdOrUid: String) async throws -> [String]? {
        try await store.routingSnapshot(appIdOrUid)?.endpoints.map(\.id)
    }
}

/// The PostgreSQL routing cache across nodes: a node routes new messages from its own cache, and the ingest
/// statement's version check makes every change committed through another node count at once.
@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL store tests skipped"), .timeLimit(.minutes(3)))
struct PostgresRoutingCacheTests {
    /// Two nodes on one fresh database, their pools and committers running for `body`.
    private func withTwoNodes(_ body: @Sendable (ClusterNode, ClusterNode) async throws -> Void) async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let clock = ManualClock()
            let a = try ClusterNode(database, clock: clock)
            let b = try ClusterNode(database, clock: clock)
            try await PostgresTestDatabase.running(a.store.client) {
                try await PostgresTestDatabase.running(b.store.client) {
                    try await a.store.migrate()
                    let group = ServiceGroup(services: [a.committer, b.committer], logger: Logger(label: "test"))
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        tasks.addTask { try await group.run() }
                        do {
                            try await body(a, b)
                        } catch {
                            await group.triggerGracefulShutdown()
                            throw error
                        }
                        await group.triggerGracefulShutdown()
                        try await tasks.waitForAll()
                    }
                }
            }
        }
    }

    private static func draft(_ url: String = "http://127.0.0.1:9/hook", disabled: Bool? = nil) -> EndpointDraft {
        EndpointDraft(url: url, secret: Fixtures.secret.encoded, disabled: disabled)
    }

    /// An endpoint created, then one disabled, through node A is honoured by the very next message on node B, whose
    /// cache still holds the endpoint set from before each change.
    @Test func changesThroughOneNodeRouteTheNextMessageOnAnother() async throws {
        try await withTwoNodes { a, b in
            let (app, _) = try await a.gateway.createApplication(ApplicationDraft(name: "Cluster", uid: "cluster-app"))
            let first = try await a.gateway.createEndpoint(appIdOrUid: app.id, Self.draft())
            let (_, warm) = try await b.send("cluster-app")
            #expect(warm == [first.id: .pending])

            let second = try await a.gateway.createEndpoint(appIdOrUid: app.id, Self.draft("http://127.0.0.1:9/second"))
            #expect(try await b.routedEndpointIds("cluster-app") == [first.id], "B's cache is warm and predates the new endpoint")
            let (_, afterCreate) = try await b.send("cluster-app")
            #expect(afterCreate == [first.id: .pending, second.id: .pending], "the new endpoint receives B's next message")

            _ = try await a.gateway.replaceEndpoint(appIdOrUid: app.id, first.id, with: Self.draft(disabled: true))
            #expect(try await b.store.routingSnapshot(app.id)?.endpoints.first { $0.id == first.id }?.disabled == false, "B's cache is stale")
            let (_, afterDisable) = try await b.send(app.id)
            #expect(afterDisable == [first.id: .skipped, second.id: .pending], "the disabled endpoint is skipped on B at once")

            try await a.gateway.deleteEndpoint(appIdOrUid: app.id, second.id)
            let (_, afterDelete) = try await b.send(app.id)
            #expect(afterDelete == [first.id: .skipped], "the deleted endpoint gets no row")
        }
    }

    /// An application deleted through node A is gone for node B's next message (404, nothing written), even with B's
    /// cache warm; a new application that takes the deleted one's uid receives the messages sent to that uid.
    @Test func deletedApplicationIsNeverServedFromTheCache() async throws {
        try await withTwoNodes { a, b in
            let (app, _) = try await a.gateway.createApplication(ApplicationDraft(name: "Doomed", uid: "doomed"))
            _ = try await a.gateway.createEndpoint(appIdOrUid: app.id, Self.draft())
            let (warm, _) = try await b.send("doomed")
            try await a.gateway.deleteApplication(app.id)
            #expect(try await b.routedEndpointIds(app.id) != nil, "B's cache still holds the application")

            let refused = await #expect(throws: HooklineError.self) { try await b.send(app.id) }
            #expect(refused?.code == .notFound)
            #expect(try await b.routedEndpointIds(app.id) == nil, "the failed commit made B forget it")
            #expect(try await a.store.messages(appId: app.id, page: PageRequest(limit: 10)).items.isEmpty)
            #expect(try await a.store.message(appId: app.id, id: warm.id) == nil)

            let (successor, _) = try await a.gateway.createApplication(ApplicationDraft(name: "Successor", uid: "doomed"))
            let endpoint = try await a.gateway.createEndpoint(appIdOrUid: successor.id, Self.draft())
            let (message, rows) = try await b.send("doomed")
            #expect(message.appId == successor.id && rows == [endpoint.id: .pending])
        }
    }

    /// The store's own check: a message routed with an old version inserts nothing and answers `staleRouting`; a
    /// change to an endpoint's failure streak alone (the completion path) leaves the version, and the cache, valid.
    @Test func staleVersionWritesNothingAndStreaksDoNotInvalidate() async throws {
        try await withTwoNodes { a, b in
            let (app, _) = try await a.gateway.createApplication(ApplicationDraft(name: "Versions"))
            let endpoint = try await a.gateway.createEndpoint(appIdOrUid: app.id, Self.draft())
            let snapshot = try #require(try await b.store.routingSnapshot(app.id))
            let t0 = Date(timeIntervalSince1970: 1_700_000_000)

            // What a completion's streak step writes (`completeDeliveries`): failing_since alone.
            try await a.store.client.query("UPDATE endpoint SET failing_since = \(Int64(1_700_000_000_000)) WHERE id = \(endpoint.id)")
            var fresh = NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [endpoint.id], deliverAt: t0)
            fresh.routingVersion = snapshot.version
            #expect(try await b.store.insertMessages([fresh]) == [.inserted], "a streak change keeps the version")

            _ = try await a.gateway.replaceEndpoint(appIdOrUid: app.id, endpoint.id, with: Self.draft("http://127.0.0.1:9/moved"))
            var stale = NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [endpoint.id], deliverAt: t0)
            stale.routingVersion = snapshot.version
            let unchecked = NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [endpoint.id], deliverAt: t0)
            #expect(try await b.store.insertMessages([stale, unchecked]) == [.staleRouting, .inserted])
            #expect(try await a.store.message(appId: app.id, id: stale.message.id) == nil)
            #expect(try await a.store.deliveries(messageId: stale.message.id).isEmpty)
            let created = try await a.store.events(after: 0, limit: 100).filter { $0.kind == .messageCreated }.map(\.draft.messageId)
            #expect(!created.contains(stale.message.id) && created.contains(unchecked.message.id))
            #expect(try await b.store.routingSnapshot(app.id)?.endpoints.first?.url == "http://127.0.0.1:9/moved", "re-read after the stale answer")
        }
    }
}
