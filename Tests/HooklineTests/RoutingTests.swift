import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite struct RoutingTests {
    let app = Fixtures.application(at: Date())
    let router = MessageRouter()

    func endpoint(types: [String]? = nil, channels: [String]? = nil, disabled: Bool = false) -> Endpoint {
        var endpoint = Fixtures.endpoint(app: app, at: Date())
        endpoint.eventTypes = types
        endpoint.channels = channels
        endpoint.disabled = disabled
        return endpoint
    }

    @Test func eventTypesFilter() {
        #expect(router.matches(endpoint(), eventType: "a", channels: nil))
        #expect(router.matches(endpoint(types: []), eventType: "a", channels: nil))
        #expect(router.matches(endpoint(types: ["a", "b"]), eventType: "b", channels: nil))
        #expect(!router.matches(endpoint(types: ["a"]), eventType: "c", channels: nil))
    }

    @Test func channelsFollowSvixSemantics() {
        #expect(router.matches(endpoint(), eventType: "a", channels: ["x"]), "an endpoint without channels gets everything")
        #expect(router.matches(endpoint(channels: ["x", "y"]), eventType: "a", channels: ["y", "z"]))
        #expect(!router.matches(endpoint(channels: ["x"]), eventType: "a", channels: ["z"]))
        #expect(
            !router.matches(endpoint(channels: ["x"]), eventType: "a", channels: nil), "a message without channels never reaches a channel endpoint")
    }

    @Test func disabledEndpointsReceiveNothing() {
        let all = [endpoint(), endpoint(disabled: true), endpoint(types: ["other"])]
        #expect(router.route(eventType: "a", channels: nil, payload: Data("{}".utf8), to: all).map(\.id) == [all[0].id])
    }
}
