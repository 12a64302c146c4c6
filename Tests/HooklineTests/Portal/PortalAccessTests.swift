import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Logging
import Testing

/// Portal tokens on a real node: issued by the admin key, confined to one application, read-only, revoked, expired.
@Suite(.timeLimit(.minutes(3))) struct PortalAccessTests {
    static func issue(_ api: APIClient, _ app: String, _ body: [String: Any] = [:]) async throws -> String {
        let reply = try await api.call("POST", "/api/v1/auth/app-portal-access/\(app)", json: body)
        #expect(reply.status == 200)
        return try #require(reply.json["token"] as? String)
    }

    @Test func issuesALinkAndCreatesTheApplicationWhenAsked() async throws {
        try await TestNode.with(.router) { node in
            let api = node.api()
            let reply = try await api.call("POST", "/api/v1/auth/app-portal-access/tenant-a", json: ["application": ["name": "Tenant A"]])
            #expect(reply.status == 200)
            let token = try #require(reply.json["token"] as? String)
            let url = try #require(reply.json["url"] as? String)
            #expect(token.hasPrefix("hlpt_") && url == node.baseURL + "/portal#token=" + token)
            let created = try await api.call("GET", "/api/v1/app/tenant-a")
            #expect(created.status == 200 && created.json["name"] as? String == "Tenant A")
            let session = try await node.api(apiKey: token).call("GET", "/api/v1/auth/portal-session")
            #expect(session.status == 200 && session.json["appId"] as? String == created.json["id"] as? String)
            #expect(session.json["readOnly"] as? Bool == false)

            #expect(try await api.call("POST", "/api/v1/auth/app-portal-access/missing", json: [:]).status == 404)
            let tooShort = try await api.call("POST", "/api/v1/auth/app-portal-access/tenant-a", json: ["expiry": 60])
            #expect(tooShort.status == 422 && String(decoding: tooShort.body, as: UTF8.self).contains("expiry"))
            #expect(
                try await node.api(apiKey: nil).call("POST", "/api/v1/auth/app-portal-access/tenant-a", json: [:]).status
                    == 401)
            #expect(try await node.store.portalToken(digest: token) == nil, "the store keys tokens by digest, never by the bearer string")
            #expect(try await node.store.portalToken(digest: PortalToken.digest(of: token))?.appId == created.json["id"] as? String)
        }
    }

    @Test func aTokenReachesOnlyItsOwnApplication() async throws {
        try await TestNode.with { node in
            let admin = APIClient(baseURL: node.baseURL)
            let mine = try await StreamTests.app(admin, "Mine")
            let theirs = try #require(try await admin.call("POST", "/api/v1/app", json: ["name": "Theirs", "uid": "theirs"]).json["id"] as? String)
            let theirEndpoint = try #require(
                try await admin.call("POST", "/api/v1/app/\(theirs)/endpoint", json: ["url": "http://127.0.0.1:9/hook"]).json["id"] as? String)
            let theirMessage = try await StreamTests.send(admin, theirs)
            let myMessage = try await StreamTests.send(admin, mine)
            let portal = APIClient(baseURL: node.baseURL, apiKey: try await Self.issue(admin, mine))

            let created = try await portal.call("POST", "/api/v1/app/\(mine)/endpoint", json: ["url": "http://127.0.0.1:9/mine"])
            #expect(created.status == 201)
            let myEndpoint = try #require(created.json["id"] as? String)
            for path in [
                "/api/v1/app/\(mine)", "/api/v1/app/\(mine)/endpoint", "/api/v1/app/\(mine)/msg", "/api/v1/app/\(mine)/msg/\(myMessage)",
                "/api/v1/app/\(mine)/attempt/msg/\(myMessage)", "/api/v1/app/\(mine)/endpoint/\(myEndpoint)/stats",
                "/api/v1/app/\(mine)/endpoint/\(myEndpoint)/secret", "/api/v1/auth/portal-event-types",
            ] {
                #expect(try await portal.call("GET", path).status == 200, "\(path) is the portal's own")
            }
            for path in [
                "/api/v1/app/\(theirs)", "/api/v1/app/theirs/endpoint", "/api/v1/app/\(theirs)/endpoint/\(theirEndpoint)",
                "/api/v1/app/\(theirs)/endpoint/\(theirEndpoint)/secret", "/api/v1/app/\(theirs)/msg", "/api/v1/app/\(theirs)/msg/\(theirMessage)",
                "/api/v1/app/\(theirs)/attempt/msg/\(theirMessage)", "/api/v1/app/\(theirs)/attempt/endpoint/\(theirEndpoint)",
                "/api/v1/app/\(theirs)/endpoint/\(theirEndpoint)/stats", "/api/v1/app/\(theirs)/stream", "/api/v1/app/missing/endpoint",
                "/api/v1/app", "/api/v1/status", "/api/v1/stream", "/api/v1/source", "/api/v1/event-type",
            ] {
                let reply = try await portal.call("GET", path)
                #expect(reply.status == 403 && reply.json["code"] as? String == "forbidden", "\(path) answered \(reply.status)")
            }
            #expect(try await portal.call("DELETE", "/api/v1/app/\(theirs)/endpoint/\(theirEndpoint)").status == 403)
            #expect(try await portal.call("POST", "/api/v1/app/\(theirs)/msg/\(theirMessage)/endpoint/\(theirEndpoint)/resend").status == 403)
            #expect(try await portal.call("POST", "/api/v1/app/\(mine)/msg", json: ["eventType": "x", "payload": [:]]).status == 403)
            #expect(try await portal.call("DELETE", "/api/v1/app/\(mine)").status == 403, "a tenant cannot delete its application")
            #expect(try await portal.call("POST", "/api/v1/auth/app-portal-access/\(mine)", json: [:]).status == 403)
            #expect(try await admin.call("GET", "/api/v1/app/\(theirs)/endpoint/\(theirEndpoint)").status == 200, "their endpoint is untouched")

            let streamToken = try await portal.call("POST", "/api/v1/stream/token", json: [:])
            #expect(
                streamToken.status == 201 && streamToken.json["appId"] as? String == mine, "stream tokens are narrowed to the portal's application")
            #expect(try await portal.call("POST", "/api/v1/stream/token", json: ["appId": theirs]).status == 403)
            let token = try #require(streamToken.json["token"] as? String)
            let elsewhere = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/app/\(theirs)/stream?token=\(token)", apiKey: nil)
            #expect(elsewhere.status == 401)
            let own = try await StreamTests.open(node, "/api/v1/stream?token=\(token)")
            try await StreamTests.send(admin, theirs)
            let next = try await StreamTests.send(admin, mine)
            let events = await own.waitForEvents(1, kind: "message.created")
            #expect(events.compactMap { $0.json["msgId"] as? String } == [next])
            for client in [elsewhere, own] { client.close() }
        }
    }

    @Test func readOnlyLogoutAndExpiry() async throws {
        try await TestNode.with(.router) { node in
            let admin = node.api()
            let app = try await StreamTests.app(admin, "Tenant")
            let endpoint = try #require(
                try await admin.call("POST", "/api/v1/app/\(app)/endpoint", json: ["url": "http://127.0.0.1:9/hook"]).json["id"] as? String)
            let reader = node.api(apiKey: try await Self.issue(admin, app, ["readOnly": true, "featureFlags": ["beta"]]))
            #expect(try await reader.call("GET", "/api/v1/app/\(app)/endpoint/\(endpoint)").status == 200)
            #expect(try await reader.call("GET", "/api/v1/auth/portal-session").json["featureFlags"] as? [String] == ["beta"])
            for (name, flags) in [("plain.type", [String]()), ("beta.type", ["beta"]), ("alpha.type", ["alpha"])] {
                #expect(
                    try await admin.call("POST", "/api/v1/event-type", json: ["name": name, "description": name, "featureFlags": flags]).status == 201
                )
            }
            let catalogue = try await reader.call("GET", "/api/v1/auth/portal-event-types")
            let names = (catalogue.json["data"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
            #expect(names == ["beta.type", "plain.type"], "a type behind a flag the token lacks is hidden, got \(names)")
            for (method, path) in [
                ("POST", "/api/v1/app/\(app)/endpoint"), ("PATCH", "/api/v1/app/\(app)/endpoint/\(endpoint)"),
                ("DELETE", "/api/v1/app/\(app)/endpoint/\(endpoint)"), ("POST", "/api/v1/app/\(app)/endpoint/\(endpoint)/secret/rotate"),
                ("POST", "/api/v1/app/\(app)/endpoint/\(endpoint)/recover"),
            ] {
                #expect(try await reader.call(method, path, json: ["url": "http://127.0.0.1:9/x", "since": "2020-01-01T00:00:00Z"]).status == 403)
            }
            #expect(try await admin.call("GET", "/api/v1/app/\(app)/endpoint/\(endpoint)").json["disabled"] as? Bool == false)

            let writer = node.api(apiKey: try await Self.issue(admin, app))
            #expect(try await writer.call("PATCH", "/api/v1/app/\(app)/endpoint/\(endpoint)", json: ["disabled": true]).status == 200)
            #expect(try await admin.call("POST", "/api/v1/auth/logout").status == 403, "the admin key is not a portal token")
            #expect(try await writer.call("POST", "/api/v1/auth/logout").status == 204)
            let after = try await writer.call("GET", "/api/v1/app/\(app)/endpoint")
            #expect(after.status == 401 && after.json["code"] as? String == "authentication_failed", "a revoked token is refused")
            #expect(try await writer.call("POST", "/api/v1/auth/logout").status == 401)
            #expect(try await reader.call("GET", "/api/v1/app/\(app)/endpoint").status == 200, "other tokens stay valid")

            // Expire-all (Svix): by session, then every token of the application.
            let first = node.api(apiKey: try await Self.issue(admin, app, ["sessionId": "s1"]))
            let second = node.api(apiKey: try await Self.issue(admin, app, ["sessionId": "s2"]))
            #expect(try await admin.call("POST", "/api/v1/auth/app/\(app)/expire-all", json: ["sessionIds": ["s1"]]).status == 204)
            #expect(try await first.call("GET", "/api/v1/app/\(app)").status == 401)
            #expect(try await second.call("GET", "/api/v1/app/\(app)").status == 200)
            #expect(try await admin.call("POST", "/api/v1/auth/app/\(app)/expire-all", json: ["expiry": -1]).status == 422)
            #expect(try await second.call("POST", "/api/v1/auth/app/\(app)/expire-all", json: [:]).status == 403, "a portal token cannot")
            #expect(try await admin.call("POST", "/api/v1/auth/app/\(app)/expire-all").status == 204)
            #expect(try await second.call("GET", "/api/v1/app/\(app)").status == 401)
            #expect(try await reader.call("GET", "/api/v1/app/\(app)").status == 401)

            let now = Date()
            let secret = PortalToken.makeSecret()
            try await node.store.insertPortalToken(
                PortalToken(
                    digest: PortalToken.digest(of: secret), appId: app, readOnly: false, featureFlags: [], sessionId: nil,
                    createdAt: now.addingTimeInterval(-7200), expiresAt: now.addingTimeInterval(-1)))
            #expect(try await node.api(apiKey: secret).call("GET", "/api/v1/app/\(app)/endpoint").status == 401, "expired")
            #expect(try await node.api(apiKey: PortalToken.makeSecret()).call("GET", "/api/v1/app/\(app)").status == 401)
            #expect(try await node.api(apiKey: "bogus").call("GET", "/api/v1/app/\(app)").status == 401)
        }
    }
}

/// The retention sweep removes expired portal tokens and keeps usable ones.
@Suite struct PortalTokenRetentionTests {
    @Test func theSweepDeletesExpiredTokens() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
        let clock = ManualClock()
        let now = clock.now()
        func token(_ secret: String, expiresIn seconds: Double) -> PortalToken {
            PortalToken(
                digest: PortalToken.digest(of: secret), appId: "app_1", readOnly: false, featureFlags: [], sessionId: nil,
                createdAt: now.addingTimeInterval(-7200), expiresAt: now.addingTimeInterval(seconds))
        }
        try await store.insertPortalToken(token("hlpt_old", expiresIn: -1))
        try await store.insertPortalToken(token("hlpt_live", expiresIn: 3600))
        _ = try await RetentionService(store: store, clock: clock, logger: Logger(label: "test")).sweep(now: now)
        #expect(try await store.portalToken(digest: PortalToken.digest(of: "hlpt_old")) == nil)
        #expect(try await store.portalToken(digest: PortalToken.digest(of: "hlpt_live")) != nil)
    }
}
