import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct StreamAuthTests {
    @Test func tokensAreSignedScopedAndExpire() throws {
        let clock = ManualClock()
        let signer = StreamTokenSigner(apiKey: "admin")
        let (token, scope) = try signer.issue(appId: "app_1", lifetime: .seconds(60), now: clock.now())
        #expect(try signer.verify(token, now: clock.now()) == scope)
        #expect(scope.permits(appId: "app_1") && !scope.permits(appId: "app_2") && !scope.permits(appId: nil))
        clock.advance(by: .seconds(59))
        #expect((try? signer.verify(token, now: clock.now())) != nil)
        clock.advance(by: .seconds(1))
        #expect(throws: HooklineError.self) { try signer.verify(token, now: clock.now()) }
        #expect(throws: HooklineError.self) { try StreamTokenSigner(apiKey: "other").verify(token, now: ManualClock().now()) }
        var tampered = Array(token)
        tampered[3] = tampered[3] == "A" ? "B" : "A"
        #expect(throws: HooklineError.self) { try signer.verify(String(tampered), now: ManualClock().now()) }
        let global = try signer.issue(appId: nil, lifetime: .seconds(1), now: clock.now()).scope
        #expect(global.permits(appId: nil) && global.permits(appId: "app_2"))
        #expect(throws: HooklineError.self) { try signer.issue(appId: nil, lifetime: .seconds(90_000), now: clock.now()) }
    }

    @Test func streamNeedsTheAdminKeyOrAScopedToken() async throws {
        try await TestNode.with { node in
            let api = APIClient(baseURL: node.baseURL)
            let appId = try await StreamTests.app(api, "Auth")
            let otherId = try await StreamTests.app(api, "Else")
            let anonymous = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/stream", apiKey: nil)
            #expect(anonymous.status == 401)
            let wrongKey = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/stream", apiKey: "nope")
            #expect(wrongKey.status == 401)

            let issued = try await api.call("POST", "/api/v1/stream/token", json: ["appId": appId, "ttlSeconds": 60])
            #expect(issued.status == 201)
            let token = try #require(issued.json["token"] as? String)
            #expect(issued.json["appId"] as? String == appId)
            let scoped = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/app/\(appId)/stream?token=\(token)", apiKey: nil)
            #expect(scoped.status == 200)
            let narrowed = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/stream?token=\(token)", apiKey: nil)
            #expect(narrowed.status == 200)
            #expect(await narrowed.waitFor { $0.contains { $0.retry != nil } })
            let elsewhere = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/app/\(otherId)/stream?token=\(token)", apiKey: nil)
            #expect(elsewhere.status == 401)
            let forged = try await SSEClient(baseURL: node.baseURL, path: "/api/v1/stream?token=x.y", apiKey: nil)
            #expect(forged.status == 401)
            // A token only opens streams: other routes still need the key.
            let misuse = try await APIClient(baseURL: node.baseURL, apiKey: nil).call("GET", "/api/v1/app?token=\(token)")
            #expect(misuse.status == 401)
            #expect(try await APIClient(baseURL: node.baseURL, apiKey: nil).call("POST", "/api/v1/stream/token", json: [:]).status == 401)

            try await StreamTests.send(api, otherId)
            let mine = try await StreamTests.send(api, appId)
            let events = await narrowed.waitForEvents(1)
            #expect(events.compactMap { $0.json["msgId"] as? String } == [mine], "a scoped token sees only its application")
            for client in [anonymous, wrongKey, scoped, narrowed, elsewhere, forged] { client.close() }
        }
    }
}
