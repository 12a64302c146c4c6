import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineHTTP
import HooklineTesting
import Testing

/// The outbound transport's SSRF guard, redirect refusal and response-body cap, against real receivers.
@Suite(.timeLimit(.minutes(3))) struct TransportGuardTests {
    static let loopback = NetworkPolicy(allowed: [IPRange("127.0.0.0/8")!])

    /// Runs `body` with a transport built from `configuration`, shutting its client down afterwards.
    func withTransport(_ configuration: HTTPClientTransport.Configuration, _ body: (HTTPClientTransport) async throws -> Void) async throws {
        let transport = HTTPClientTransport(configuration: configuration)
        do {
            try await body(transport)
        } catch {
            try? await transport.client.shutdown()
            throw error
        }
        try await transport.client.shutdown()
    }

    func post(_ url: String) -> OutboundRequest {
        OutboundRequest(url: url, headers: [("content-type", "application/json")], body: Data("{}".utf8), timeout: .seconds(5))
    }

    @Test func hostResolvingToABlockedAddressIsRefusedAtSendTime() async throws {
        var configuration = HTTPClientTransport.Configuration()
        configuration.resolver = StaticResolver(["hooks.example.test": ["93.184.216.34", "10.0.0.5"], "meta.example.test": ["169.254.169.254"]])
        try await withTransport(configuration) { transport in
            let mixed = await transport.send(post("http://hooks.example.test:9/hook"))
            #expect(mixed.statusCode == nil)
            #expect(mixed.body == "refused: hooks.example.test resolves to 10.0.0.5, which is not allowed")
            let metadata = await transport.send(post("https://meta.example.test/latest"))
            #expect(metadata.body.hasPrefix("refused: meta.example.test resolves to 169.254.169.254"))
            let unknown = await transport.send(post("http://nowhere.example.test/"))
            #expect(unknown.body == "network error: could not resolve nowhere.example.test")
        }
    }

    @Test func rebindingBetweenCheckAndConnectIsCaughtOnTheConnectedAddress() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            let port = try #require(URLComponents(string: receiverURL)?.port)
            // The send-time lookup says "public"; the client's own lookup of `localhost` connects to loopback,
            // as a rebinding DNS server would arrange. Only the connection guard sees the real peer.
            var configuration = HTTPClientTransport.Configuration()
            configuration.resolver = StaticResolver(["localhost": ["93.184.216.34"]])
            try await withTransport(configuration) { transport in
                let response = await transport.send(post("http://localhost:\(port)/hook"))
                #expect(response.statusCode == nil)
                #expect(response.body.hasPrefix("refused: connected to 127.0.0.1"), "\(response.body)")
                #expect(!response.isSuccess)
            }
            #expect(receiver.received.isEmpty, "no request reached the refused address")
        }
    }

    @Test func permittedPeersStillConnectThroughTheGuard() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await withTransport(.init(networkPolicy: Self.loopback)) { transport in
                let response = await transport.send(post(receiverURL + "/ok"))
                #expect(response.statusCode == 200, "\(response.body)")
            }
            #expect(receiver.received.map(\.path) == ["/ok"])
        }
    }

    @Test func redirectsAreNotFollowed() async throws {
        try await RecordingReceiver.with { target, targetURL in
            try await RecordingReceiver.with { redirecting, redirectingURL in
                redirecting.answer(status: 302, headers: ["location": targetURL + "/elsewhere"])
                try await TestNode.with(retrySchedule: [.milliseconds(20)]) { node in
                    let api = APIClient(baseURL: node.baseURL)
                    let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "R"]).json["id"] as? String)
                    #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": redirectingURL + "/hook"]).status == 201)
                    let sent = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": ["n": 1]])
                    let messageId = try #require(sent.json["id"] as? String)
                    #expect(
                        await node.waitUntil(timeout: .seconds(10)) { try await node.store.deliveries(messageId: messageId).first?.state == .failed })
                    let attempts = try await api.call("GET", "/api/v1/app/\(appId)/attempt/msg/\(messageId)")
                    let rows = attempts.json["data"] as? [[String: Any]] ?? []
                    #expect(rows.compactMap { $0["responseStatusCode"] as? Int } == [302, 302])
                    #expect(rows.compactMap { $0["status"] as? Int } == [2, 2], "a 302 is a failed attempt")
                }
                #expect(redirecting.received.count == 2)
            }
            #expect(target.received.isEmpty, "nothing reached the redirect target")
        }
    }

    @Test func responseBodiesAreCappedWhileReading() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            receiver.answer(status: 200, bodySize: 64 << 20)
            try await withTransport(.init(networkPolicy: Self.loopback, responseBodyCap: 1000)) { transport in
                let response = await transport.send(post(receiverURL))
                #expect(response.statusCode == 200, "\(response.body.prefix(200))")
                #expect(response.body.utf8.count == 1000)
            }
        }
    }

    @Test func storedAttemptResponseIsTruncatedAtTheCap() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            receiver.answer(status: 200, bodySize: 16 << 20)
            try await TestNode.with { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Big"]).json["id"] as? String)
                _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL])
                let sent = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "a", "payload": [:]])
                let messageId = try #require(sent.json["id"] as? String)
                #expect(
                    await node.waitUntil(timeout: .seconds(10)) { try await node.store.deliveries(messageId: messageId).first?.state == .succeeded })
                let attempts = try await api.call("GET", "/api/v1/app/\(appId)/attempt/msg/\(messageId)")
                let response = try #require((attempts.json["data"] as? [[String: Any]])?.first?["response"] as? String)
                #expect(response.utf8.count == HTTPClientTransport.Configuration().responseBodyCap)
                #expect(response.allSatisfy { $0 == "x" })
            }
        }
    }
}
