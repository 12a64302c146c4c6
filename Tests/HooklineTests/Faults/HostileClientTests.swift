import Foundation
import HooklineTesting
import Testing

/// Malformed requests, oversized headers and slow clients: the server stays up for everyone else.
@Suite(.timeLimit(.minutes(3))) struct HostileClientTests {
    @Test func garbageHugeHeadersAndSlowClientsLeaveTheServerUp() async throws {
        try await TestNode.with(idleTimeout: .seconds(2)) { node in
            let port = try #require(Int(node.baseURL.split(separator: ":").last!))
            let api = APIClient(baseURL: node.baseURL)

            let garbage = try RawConnection(port: port)
            garbage.send("\u{01}\u{02}NOT HTTP AT ALL\r\n\r\n")
            let garbageReply = await garbage.receive()
            #expect(garbageReply.closed, "a malformed request closes its connection")
            #expect(garbageReply.text.isEmpty || garbageReply.text.hasPrefix("HTTP/1.1 4"))

            let huge = try RawConnection(port: port)
            huge.send("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 200_000) + "\r\n\r\n")
            let hugeReply = await huge.receive()
            #expect(hugeReply.closed)
            #expect(!hugeReply.text.hasPrefix("HTTP/1.1 200"), "an oversized header is not served")

            let slow = try (0..<40).map { _ in try RawConnection(port: port) }
            for connection in slow { connection.send("POST /api/v1/app HTTP/1.1\r\nHost: x\r\n") }
            // Not kept alive: the server's 2 s idle timeout would close a pooled connection as the last call reuses it.
            let healthy = try await api.call("POST", "/api/v1/app", json: ["name": "still here"], headers: ["connection": "close"])
            #expect(healthy.status == 201, "other clients are served while slow ones dawdle")
            let cut = await slow[0].receive()
            #expect(cut.closed, "a client that stops mid-request is cut off by the idle timeout")

            #expect(try await APIClient(baseURL: node.baseURL, apiKey: nil).call("GET", "/api/v1/health").status == 200)
        }
    }
}
