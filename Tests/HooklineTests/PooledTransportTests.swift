import Foundation
import HooklineCore
import HooklineHTTP
import HooklineTesting
import Testing

/// The pooled HTTP/1.1 client behind `HTTPClientTransport` for plain `http` URLs: keep-alive reuse,
/// queueing at the cap, body cap, redirects, deadlines, peers that misbehave, and the connect-time guard.
@Suite(.timeLimit(.minutes(3))) struct PooledTransportTests {
    static let loopback = NetworkPolicy(allowed: [IPRange("127.0.0.0/8")!])

    /// Runs `body` with a transport built from `configuration`, shutting both its clients down afterwards.
    func withTransport(
        _ configuration: HTTPClientTransport.Configuration = .init(networkPolicy: loopback), _ body: (HTTPClientTransport) async throws -> Void
    ) async throws {
        let transport = HTTPClientTransport(configuration: configuration)
        do {
            try await body(transport)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
    }

    func post(_ url: String, timeout: Duration = .seconds(5)) -> OutboundRequest {
        OutboundRequest(
            url: url, headers: [("content-type", "application/json"), ("webhook-id", "msg_1")], body: Data(#"{"a":1}"#.utf8), timeout: timeout)
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await ScriptedHTTPServer.with(script: { _ in .reply(ScriptedHTTPServer.ok) }) { server, url in
            try await withTransport { transport in
                for _ in 0..<50 {
                    let response = await transport.send(post(url + "/hook?x=1"))
                    #expect(response.statusCode == 200)
                    #expect(response.body == "ok")
                }
            }
            #expect(server.connections == 1)
            let head = try #require(server.requests.first)
            #expect(head.hasPrefix("POST /hook?x=1 HTTP/1.1\r\n"))
            #expect(head.lowercased().contains("\r\nhost: 127.0.0.1:"))
            #expect(head.contains("\r\ncontent-length: 7"))
            #expect(head.contains("\r\nwebhook-id: msg_1"))
        }
    }

    @Test func idleConnectionsCloseAfterTheIdleTimeout() async throws {
        try await ScriptedHTTPServer.with(script: { _ in .reply(ScriptedHTTPServer.ok) }) { server, url in
            var configuration = HTTPClientTransport.Configuration(networkPolicy: Self.loopback)
            configuration.idleTimeout = .milliseconds(150)
            try await withTransport(configuration) { transport in
                #expect(await transport.send(post(url)).statusCode == 200)
                #expect(await server.waitForClosedConnections(1), "the idle connection is closed")
                #expect(await transport.send(post(url)).statusCode == 200)
            }
            #expect(server.connections == 2)
        }
    }

    @Test func asyncHTTPClientStillServesHTTPWhenThePooledClientIsOff() async throws {
        try await ScriptedHTTPServer.with(script: { _ in .reply(ScriptedHTTPServer.ok) }) { server, url in
            var configuration = HTTPClientTransport.Configuration(networkPolicy: Self.loopback)
            configuration.usesPooledHTTP1 = false
            try await withTransport(configuration) { transport in
                #expect(await transport.send(post(url + "/x")).statusCode == 200)
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func concurrentRequestsQueueAtTheConnectionCap() async throws {
        try await ScriptedHTTPServer.with(script: { _ in .reply(ScriptedHTTPServer.ok) }) { server, url in
            var configuration = HTTPClientTransport.Configuration(networkPolicy: Self.loopback, connectionsPerHost: 3)
            configuration.idleTimeout = .seconds(60)
            try await withTransport(configuration) { transport in
                let responses = await withTaskGroup(of: TransportResponse.self) { group in
                    // A long deadline: the point is queueing, and a busy test machine may stall tasks for seconds.
                    for _ in 0..<60 { group.addTask { await transport.send(post(url, timeout: .seconds(60))) } }
                    return await group.reduce(into: [TransportResponse]()) { $0.append($1) }
                }
                #expect(responses.count == 60)
                let failures = responses.filter { $0.statusCode != 200 }.map(\.body)
                #expect(failures.isEmpty, "\(Set(failures))")
            }
            #expect(server.connections <= 3)
            #expect(server.requests.count == 60)
        }
    }

    @Test func bodyIsCappedAndSmallBodiesAreDrainedForReuse() async throws {
        let big = String(repeating: "y", count: 100_000)
        try await ScriptedHTTPServer.with(script: { _ in .reply("HTTP/1.1 200 OK\r\ncontent-length: \(big.utf8.count)\r\n\r\n" + big) }) {
            server, url in
            try await withTransport(.init(networkPolicy: Self.loopback, responseBodyCap: 1000)) { transport in
                for _ in 0..<3 {
                    let response = await transport.send(post(url))
                    #expect(response.statusCode == 200)
                    #expect(response.body.utf8.count == 1000)
                }
            }
            #expect(server.connections == 1, "a body under the drain limit is read to its end and the connection reused")
        }
    }

    @Test func hugeBodiesAreCutOffWithoutReadingThemWhole() async throws {
        try await RecordingReceiver.with { receiver, url in
            receiver.answer(status: 200, bodySize: 64 << 20)
            try await withTransport(.init(networkPolicy: Self.loopback, responseBodyCap: 1000)) { transport in
                for _ in 0..<2 {
                    let response = await transport.send(post(url))
                    #expect(response.statusCode == 200)
                    #expect(response.body.utf8.count == 1000)
                }
            }
        }
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        try await RecordingReceiver.with { target, targetURL in
            try await RecordingReceiver.with { redirecting, redirectingURL in
                redirecting.answer(status: 302, headers: ["location": targetURL + "/elsewhere"])
                try await withTransport { transport in
                    let response = await transport.send(post(redirectingURL + "/hook"))
                    #expect(response.statusCode == 302)
                    #expect(!response.isSuccess)
                }
                #expect(redirecting.received.count == 1)
            }
            #expect(target.received.isEmpty)
        }
    }

    @Test func aHangingReceiverTimesOutAndTheNextRequestWorks() async throws {
        try await ScriptedHTTPServer.with(script: { $0 == 0 ? .hang : .reply(ScriptedHTTPServer.ok) }) { server, url in
            try await withTransport { transport in
                let hung = await transport.send(post(url, timeout: .milliseconds(300)))
                #expect(hung.statusCode == nil)
                #expect(hung.timedOut)
                #expect(hung.body == "timed out: no complete response before the deadline")
                let next = await transport.send(post(url))
                #expect(next.statusCode == 200)
                #expect(!next.timedOut)
            }
            #expect(server.connections == 2, "the timed-out connection is closed, not reused")
        }
    }

    @Test func peerClosingMidResponseIsANetworkError() async throws {
        let script: @Sendable (Int) -> ScriptedHTTPServer.Action = { number in
            switch number {
            case 0: .replyAndClose("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nabc")
            case 1: .replyAndClose("")
            default: .reply(ScriptedHTTPServer.ok)
            }
        }
        try await ScriptedHTTPServer.with(script: script) { server, url in
            try await withTransport { transport in
                let cut = await transport.send(post(url))
                #expect(cut.statusCode == nil)
                #expect(!cut.timedOut)
                #expect(cut.body.hasPrefix("network error"), "\(cut.body)")
                let silent = await transport.send(post(url))
                #expect(silent.statusCode == nil)
                #expect(silent.body.hasPrefix("network error"), "\(silent.body)")
                let fine = await transport.send(post(url))
                #expect(fine.statusCode == 200)
            }
            #expect(server.requests.count == 3, "a failed request is not sent again")
        }
    }

    @Test func retryAfterIsPassedThroughAndConnectionCloseIsHonoured() async throws {
        let script: @Sendable (Int) -> ScriptedHTTPServer.Action = { number in
            number == 0
                ? .replyAndClose("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\nconnection: close\r\ncontent-length: 4\r\n\r\nbusy")
                : .reply("HTTP/1.1 429 Too Many Requests\r\nretry-after: Wed, 21 Oct 2065 07:28:00 GMT\r\ncontent-length: 0\r\n\r\n")
        }
        try await ScriptedHTTPServer.with(script: script) { server, url in
            try await withTransport { transport in
                let unavailable = await transport.send(post(url))
                #expect(unavailable.statusCode == 503)
                #expect(unavailable.retryAfter == "120")
                #expect(unavailable.body == "busy")
                let limited = await transport.send(post(url))
                #expect(limited.statusCode == 429)
                #expect(limited.retryAfter == "Wed, 21 Oct 2065 07:28:00 GMT")
            }
            #expect(server.connections == 2, "`connection: close` is not reused")
        }
    }

    @Test func rebindingIsCaughtOnTheConnectedAddressBeforeAnyByte() async throws {
        try await ScriptedHTTPServer.with(script: { _ in .reply(ScriptedHTTPServer.ok) }) { server, url in
            let port = try #require(URLComponents(string: url)?.port)
            var configuration = HTTPClientTransport.Configuration()
            configuration.resolver = StaticResolver(["localhost": ["93.184.216.34"]])
            try await withTransport(configuration) { transport in
                for _ in 0..<2 {
                    let response = await transport.send(post("http://localhost:\(port)/hook"))
                    #expect(response.statusCode == nil)
                    // The peer is 127.0.0.1, or unknown if the socket was already reset: refused either way.
                    #expect(response.body.hasPrefix("refused: connected to "), "\(response.body)")
                }
            }
            #expect(server.requests.isEmpty, "no request reached the refused address")
        }
    }

    @Test func sendTimeRefusalAndUnreachablePortsFailCleanly() async throws {
        var configuration = HTTPClientTransport.Configuration()
        configuration.resolver = StaticResolver(["hooks.example.test": ["93.184.216.34", "10.0.0.5"]])
        try await withTransport(configuration) { transport in
            let refused = await transport.send(post("http://hooks.example.test:9/hook"))
            #expect(refused.body == "refused: hooks.example.test resolves to 10.0.0.5, which is not allowed")
        }
        let port = try await ScriptedHTTPServer.with(script: { _ in .hang }) { _, url in URLComponents(string: url)?.port }
        try await withTransport { transport in
            let closed = await transport.send(post("http://127.0.0.1:\(try #require(port))/"))
            #expect(closed.statusCode == nil)
            #expect(closed.body.hasPrefix("network error"), "\(closed.body)")
        }
    }
}
