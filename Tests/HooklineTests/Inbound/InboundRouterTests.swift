import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Logging
import Testing

/// Phase two without HTTP: a manual clock, a real store, one batch at a time.
@Suite struct InboundRouterTests {
    @Test func routesStoredRequestsAndRecordsWhatCannotBeRouted() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/db.sqlite")
        let clock = ManualClock()
        let t0 = clock.now()
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        var endpoint = Fixtures.endpoint(app: app, at: t0)
        endpoint.eventTypes = ["order.paid"]
        try await store.insertEndpoint(endpoint)
        let source = Source(
            id: Identifier.make(.source, at: t0), uid: nil, name: "Orders", appId: app.id, verification: SourceVerification(scheme: .none),
            secret: nil, eventType: FieldSelector(.json, "kind"), correlationId: FieldSelector(.header, "x-workflow"), createdAt: t0, updatedAt: t0)
        try await store.insertSource(source)
        func record(_ body: String, source: String) -> InboundRecord {
            InboundRecord(
                id: Identifier.make(.inboundRequest, at: clock.now()), sourceId: source, status: .pending, verification: .skipped,
                headers: [InboundHeader(name: "content-type", value: "application/json"), InboundHeader(name: "x-workflow", value: "wf-9")],
                body: Data(body.utf8), receivedAt: clock.now())
        }
        let matching = record(#"{"kind":"order.paid","total":1.50}"#, source: source.id)
        let other = record(#"{"kind":"order.refunded"}"#, source: source.id)
        let orphan = record("{}", source: "src_gone")
        _ = try await store.insertInboundRequests([matching, other, orphan])

        let deliveries = WakeSignal()
        let router = InboundRouter(store: store, clock: clock, wake: WakeSignal(), deliveries: deliveries, logger: Logger(label: "test"))
        #expect(try await router.routeBatch() == 3)
        #expect(try await router.routeBatch() == 0, "nothing is routed twice")

        let routed = try #require(try await store.inboundRequest(sourceId: source.id, id: matching.id))
        let message = try #require(try await store.message(appId: app.id, id: routed.messageId ?? ""))
        #expect(message.payload == matching.body, "the payload is the received bytes, not re-encoded JSON")
        #expect(message.eventType == "order.paid" && message.correlationId == "wf-9" && message.contentType == "application/json")
        #expect(message.createdAt == matching.receivedAt && message.tags == [source.id])
        #expect(try await store.deliveries(messageId: message.id).count == 1, "routed through the endpoint's filter")
        let filtered = try #require(try await store.inboundRequest(sourceId: source.id, id: other.id))
        #expect(try await store.deliveries(messageId: filtered.messageId ?? "").isEmpty, "no endpoint takes order.refunded")
        #expect(try await store.inboundRequest(sourceId: "src_gone", id: orphan.id)?.failure == "source not found")
    }
}
