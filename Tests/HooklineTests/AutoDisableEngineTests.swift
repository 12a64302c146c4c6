import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Auto-disable and skipped deliveries through the real engine, on a manual clock.
@Suite(.timeLimit(.minutes(3))) struct AutoDisableEngineTests {
    @Test func exhaustionAfterTheWindowDisablesAndLaterMessagesAreSkipped() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(
            path: directory.path + "/db.sqlite", schedule: [.seconds(1)], autoDisable: AutoDisablePolicy(window: .seconds(10)))
        try await harness.run { harness in
            let (app, endpoint) = try await harness.seed()
            let start = harness.clock.now()
            harness.transport.script(Array(repeating: TransportResponse(statusCode: 503, body: "down"), count: 4))
            @Sendable func state(_ message: Message) async throws -> DeliveryState? {
                try await harness.store.deliveries(messageId: message.id).first?.state
            }
            @Sendable func current() async throws -> Endpoint? { try await harness.store.endpoint(appId: app.id, idOrUid: endpoint.id) }
            @Sendable func exhaust(_ message: Message, requests: Int) async throws {
                #expect(await harness.transport.waitForRequests(requests - 1) == requests - 1)
                #expect(await harness.waitUntilIdle(until: harness.clock.now().adding(.seconds(1))), "asleep until the retry")
                #expect(try await harness.store.deliveries(messageId: message.id).first?.attempts == 1)
                harness.clock.advance(by: .seconds(1))
                #expect(await harness.waitUntilIdle(), "nothing is due after the last attempt")
                #expect(try await state(message) == .failed)
            }

            let first = try await harness.gateway.createMessage(appIdOrUid: app.id, MessageDraft(eventType: "a", payload: .object([:])))
            try await exhaust(first, requests: 2)
            #expect(try await current()?.failingSince == start, "the streak started with the first failure")
            #expect(try await current()?.disabled == false, "exhausted 1 s into the streak: not yet")

            harness.clock.advance(by: .seconds(10))
            let second = try await harness.gateway.createMessage(appIdOrUid: app.id, MessageDraft(eventType: "a", payload: .object([:])))
            try await exhaust(second, requests: 4)
            #expect(try await current()?.disabled == true, "exhausted 12 s into the streak: disabled")
            let disabled = try await harness.store.latestEvent(kind: .endpointDisabled)
            #expect(disabled?.draft.details["reason"] == .string("auto-disable"))
            #expect(try await harness.store.latestEvent(kind: .messageAttemptExhausted)?.draft.messageId == second.id)

            let third = try await harness.gateway.createMessage(appIdOrUid: app.id, MessageDraft(eventType: "a", payload: .object([:])))
            #expect(try await state(third) == .skipped, "a message sent while disabled is kept as skipped")
            #expect(harness.transport.requests.count == 4, "and not sent")
        }
    }

    @Test func aClaimForADisabledEndpointIsSkippedNotCanceled() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [.seconds(1)])
        try await harness.run { harness in
            let (app, endpoint) = try await harness.seed()
            harness.transport.script([TransportResponse(statusCode: 500, body: "no")])
            let message = try await harness.gateway.createMessage(appIdOrUid: app.id, MessageDraft(eventType: "a", payload: .object([:])))
            #expect(await harness.waitUntilIdle(until: harness.clock.now().adding(.seconds(1))), "asleep until the retry")
            #expect(try await harness.store.deliveries(messageId: message.id).first?.attempts == 1)
            var patch = EndpointPatch()
            patch.disabled = .set(true)
            _ = try await harness.gateway.patchEndpoint(appIdOrUid: app.id, endpoint.id, patch)
            harness.clock.advance(by: .seconds(1))
            #expect(await harness.waitUntilIdle(), "the claim found the endpoint disabled and nothing is due")
            #expect(try await harness.store.deliveries(messageId: message.id).first?.state == .skipped)
            #expect(harness.transport.requests.count == 1)
            #expect(try await harness.store.latestEvent(kind: .deliverySkipped)?.draft.messageId == message.id)
        }
    }
}
