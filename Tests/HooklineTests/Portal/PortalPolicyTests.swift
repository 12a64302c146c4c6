import HTTPTypes
import Testing

@testable import HooklineHTTP

@Suite struct PortalPolicyTests {
    @Test func allowsThePortalsCallsUnderItsApplication() {
        #expect(PortalPolicy.decide(method: .get, path: "/api/v1/app/app_1/endpoint", readOnly: false) == .allow(appSegment: "app_1"))
        #expect(
            PortalPolicy.decide(method: .post, path: "/api/v1/app/acme/endpoint/ep_1/secret/rotate", readOnly: false) == .allow(appSegment: "acme"))
        #expect(PortalPolicy.decide(method: .post, path: "/api/v1/app/a/msg/m/endpoint/e/resend", readOnly: false) == .allow(appSegment: "a"))
        #expect(PortalPolicy.decide(method: .get, path: "/api/v1/auth/portal-event-types", readOnly: true) == .allow(appSegment: nil))
        #expect(PortalPolicy.decide(method: .post, path: "/api/v1/auth/logout", readOnly: true) == .allow(appSegment: nil))
        #expect(PortalPolicy.decide(method: .post, path: "/api/v1/stream/token", readOnly: true) == .allow(appSegment: nil))
    }

    @Test func refusesEverythingElse() {
        for (method, path) in [
            (HTTPRequest.Method.get, "/api/v1/app"), (.get, "/api/v1/status"), (.get, "/api/v1/stream"), (.delete, "/api/v1/app/a"),
            (.post, "/api/v1/app/a/msg"), (.post, "/api/v1/auth/app-portal-access/a"), (.get, "/api/v1/background-task/t"),
            (.get, "/api/v1/source"), (.post, "/api/v1/event-type"), (.get, "/api/v1/event-type"), (.get, "/api/v1/event-type/a.b"),
            (.get, "/metrics"), (.get, "/api/v1/app/a/endpoint/e/secret/x"),
        ] {
            guard case .deny = PortalPolicy.decide(method: method, path: path, readOnly: false) else {
                Issue.record("\(method) \(path) should be refused")
                continue
            }
        }
    }

    @Test func readOnlyTokensCannotMutate() {
        #expect(PortalPolicy.decide(method: .get, path: "/api/v1/app/a/msg/m", readOnly: true) == .allow(appSegment: "a"))
        for (method, path) in [
            (HTTPRequest.Method.post, "/api/v1/app/a/endpoint"), (.patch, "/api/v1/app/a/endpoint/e"), (.delete, "/api/v1/app/a/endpoint/e"),
            (.post, "/api/v1/app/a/endpoint/e/recover"), (.post, "/api/v1/app/a/endpoint/e/secret/rotate"),
        ] {
            #expect(PortalPolicy.decide(method: method, path: path, readOnly: true) == .deny("this portal token is read-only"))
        }
    }
}
