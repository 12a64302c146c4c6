import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// The pure decisions behind auto-disable, skipped deliveries and operational notices.
@Suite struct AutoDisableTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func streakStartsOnFirstFailureAndClearsOnSuccess() {
        #expect(AutoDisablePolicy.streakStart(current: nil, attemptSucceeded: false, at: t0) == t0)
        #expect(AutoDisablePolicy.streakStart(current: t0, attemptSucceeded: false, at: t0.addingTimeInterval(60)) == t0)
        #expect(AutoDisablePolicy.streakStart(current: t0, attemptSucceeded: true, at: t0.addingTimeInterval(60)) == nil)
        #expect(AutoDisablePolicy.streakStart(current: nil, attemptSucceeded: true, at: t0) == nil)
    }

    @Test func disablesOnlyExhaustedDeliveriesAfterTheWindow() {
        let policy = AutoDisablePolicy(window: .seconds(5 * 86400))
        let fiveDays = t0.addingTimeInterval(5 * 86400)
        #expect(policy.shouldDisable(failingSince: t0, exhausted: true, now: fiveDays))
        #expect(!policy.shouldDisable(failingSince: t0, exhausted: true, now: fiveDays.addingTimeInterval(-1)))
        #expect(!policy.shouldDisable(failingSince: t0, exhausted: false, now: fiveDays.addingTimeInterval(3600)), "only after exhaustion")
        #expect(!policy.shouldDisable(failingSince: nil, exhausted: true, now: fiveDays), "no streak, no disable")
        let never = AutoDisablePolicy(window: .zero)
        #expect(!never.isEnabled && never.outcomeWindow == nil)
        #expect(!never.shouldDisable(failingSince: t0, exhausted: true, now: t0.addingTimeInterval(1e9)))
        #expect(AutoDisablePolicy().window == .seconds(432_000), "default is 5 days")
    }

    @Test func noticesFollowTheAttemptCount() {
        func notices(attempts: Int, success: Bool, next: DeliveryOutcome.Next) -> [EventKind] {
            let moved = MovedDelivery(
                appId: "app_1", messageId: "msg_1", endpointId: "ep_1", attempts: attempts, eventType: "a", channels: nil, messageCreatedAt: t0)
            let attempt = Attempt(
                id: "atmpt_1", messageId: "msg_1", endpointId: "ep_1", appId: "app_1", url: "http://x", responseStatusCode: success ? 200 : 503,
                response: "", durationMs: 1, status: success ? .success : .fail, trigger: .scheduled, timestamp: t0)
            return EventDraft.attemptNotices(moved, attempt: attempt, next: next, eventId: "evt", at: t0).map(\.kind)
        }
        #expect(notices(attempts: 3, success: false, next: .retry(at: t0)) == [])
        #expect(notices(attempts: 4, success: false, next: .retry(at: t0)) == [.messageAttemptFailing])
        #expect(notices(attempts: 5, success: false, next: .retry(at: t0)) == [], "failing is sent once")
        #expect(notices(attempts: 4, success: false, next: .failed) == [.messageAttemptFailing, .messageAttemptExhausted])
        #expect(notices(attempts: 2, success: false, next: .failed) == [.messageAttemptExhausted])
        #expect(notices(attempts: 4, success: true, next: .succeeded) == [], "3 failures then success: no failing notice was sent")
        #expect(notices(attempts: 5, success: true, next: .succeeded) == [.messageAttemptRecovered])
    }

    @Test func operationalPayloadHasSvixShape() throws {
        let draft = EventDraft(
            kind: .messageAttemptExhausted, appId: "app_1", messageId: "msg_1", endpointId: "ep_1",
            details: .object([
                "msgEventId": .string("order-7"),
                "lastAttempt": .object([
                    "id": .string("atmpt_9"), "responseStatusCode": .integer(500), "timestamp": .integer(t0.millisecondsSince1970),
                ]),
            ]),
            createdAt: t0)
        let body = try #require(OperationalPayload.body(for: StreamEvent(id: 3, draft: draft), appUid: "acme", endpointUid: nil))
        #expect(body["type"] == .string("message.attempt.exhausted"))
        #expect(body["timestamp"] == .string("2023-11-14T22:13:20.000Z"))
        let data = try #require(body["data"])
        #expect(data["appId"] == .string("app_1") && data["appUid"] == .string("acme") && data["endpointId"] == .string("ep_1"))
        #expect(data["msgId"] == .string("msg_1") && data["msgEventId"] == .string("order-7"))
        #expect(
            data["lastAttempt"]
                == .object(["id": .string("atmpt_9"), "responseStatusCode": .integer(500), "timestamp": .string("2023-11-14T22:13:20.000Z")]))

        let disabled = EventDraft.endpointAutoDisabled(appId: "app_1", endpointId: "ep_1", failingSince: t0, at: t0.addingTimeInterval(1))
        let disabledBody = try #require(OperationalPayload.body(for: StreamEvent(id: 4, draft: disabled), appUid: nil, endpointUid: "primary"))
        #expect(disabledBody["data"]?["trigger"] == .string("automatic") && disabledBody["data"]?["endpointUid"] == .string("primary"))
        #expect(disabledBody["data"]?["failSince"] == .string("2023-11-14T22:13:20.000Z") && disabledBody["data"]?["appUid"] == nil)
        var endpoint = Fixtures.endpoint(app: Fixtures.application(at: t0), at: t0)
        endpoint.disabled = true
        let manual = OperationalPayload.body(for: StreamEvent(id: 5, draft: .endpointToggled(endpoint, at: t0)), appUid: nil, endpointUid: nil)
        #expect(manual?["data"]?["trigger"] == .string("manual"))
        let created = EventDraft(kind: .messageCreated, appId: "app_1", messageId: "msg_1", createdAt: t0)
        #expect(OperationalPayload.body(for: StreamEvent(id: 6, draft: created), appUid: nil, endpointUid: nil) == nil, "not operational")
    }

    @Test func disabledEndpointsThatWouldMatchAreSkipped() {
        let app = Fixtures.application(at: t0)
        var off = Fixtures.endpoint(app: app, at: t0)
        off.disabled = true
        var offOtherType = Fixtures.endpoint(app: app, at: t0)
        offOtherType.disabled = true
        offOtherType.eventTypes = ["other"]
        let on = Fixtures.endpoint(app: app, at: t0)
        let router = MessageRouter()
        let payload = Data("{}".utf8)
        #expect(router.route(eventType: "a", channels: nil, payload: payload, to: [off, offOtherType, on]).map(\.id) == [on.id])
        #expect(router.skipped(eventType: "a", channels: nil, payload: payload, among: [off, offOtherType, on]).map(\.id) == [off.id])
        #expect(DeliveryState.failed.matchingStoredStates == [.failed, .skipped])
        #expect(DeliveryState.skipped.rawValue == 5 && !DeliveryState.skipped.isActive && DeliveryState.skipped.description == "skipped")
    }
}
