import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// The engine with an ordered endpoint, on a manual clock: a failing head holds back the later messages.
@Suite(.timeLimit(.minutes(3))) struct OrderedEngineTests {
    @Test func failingHeadHoldsBackLaterMessagesUntilItsRetry() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [.seconds(5)])
        try await harness.run { harness in
            let (app, _) = try await harness.gateway.createApplication(ApplicationDraft(name: "Ordered"))
            var draft = EndpointDraft(url: "http://127.0.0.1:9/ordered", secret: Fixtures.secret.encoded)
            draft.ordered = true
            let endpoint = try await harness.gateway.createEndpoint(appIdOrUid: app.id, draft)
            #expect(endpoint.ordered)
            harness.transport.script([TransportResponse(statusCode: 500, body: "not yet")])
            var ids: [String] = []
            for index in 0..<3 {
                var message = MessageDraft(eventType: "step", payload: .object(["n": .integer(Int64(index))]))
                message.priority = index == 2 ? 9 : nil
                ids.append(try await harness.gateway.createMessage(appIdOrUid: app.id, message).id)
            }
            let head = ids[0]
            let start = harness.clock.now()
            #expect(await harness.transport.waitForRequests(1) == 1)
            #expect(await harness.waitUntilIdle(until: start.adding(.seconds(5))), "the engine sleeps until the head's retry")
            #expect(try await harness.store.deliveries(messageId: head).first?.attempts == 1)
            #expect(harness.transport.requests.count == 1, "later messages wait behind the head")
            #expect(harness.clock.advance(by: .seconds(4)) == 0, "nothing wakes before the head's retry")
            #expect(harness.transport.requests.count == 1, "still waiting for the head's retry")
            harness.clock.advance(by: .seconds(1))
            #expect(await harness.transport.waitForRequests(4) == 4)
            let order = harness.transport.requests.map { request in request.headers.first { $0.name == "webhook-id" }?.value ?? "" }
            #expect(order == [ids[0], ids[0], ids[1], ids[2]], "the head is retried first, then the rest in order, priority aside")
        }
    }
}
