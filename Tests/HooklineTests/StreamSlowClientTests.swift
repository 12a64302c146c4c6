import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite struct StreamSlowClientTests {
    @Test func clientThatStopsReadingIsCutOffWithAResumeId() async throws {
        try await TestNode.with(stream: .init(bufferSize: 64, batchSize: 16)) { node in
            let broadcaster = try #require(node.broadcaster)
            let port = try #require(URL(string: node.baseURL)?.port)
            let raw = try RawConnection(port: port, timeout: 10)
            raw.send("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(TestNode.apiKey)\r\n\r\n")
            #expect(await Deadline.poll(timeout: .seconds(10)) { broadcaster.subscriberCount == 1 })
            // Enough events to fill the socket buffers of a client that reads nothing.
            let app = Fixtures.application(at: Date())
            try await node.store.insertApplication(app)
            for _ in 0..<40 {
                let batch = (0..<1000).map { _ in NewMessage(message: Fixtures.message(app: app, at: Date()), endpointIds: [], deliverAt: Date()) }
                _ = try await node.store.insertMessages(batch)
                broadcaster.changed.signal()
                if broadcaster.cutOffs > 0 { break }
            }
            #expect(await Deadline.poll(timeout: .seconds(20)) { broadcaster.cutOffs == 1 })
            #expect(broadcaster.subscriberCount == 0, "a cut-off client holds no buffer")
            let (text, closed) = raw.receive(limit: 256 << 20)
            #expect(closed, "the server ends the stream after the final event")
            let frames = Self.dechunk(text).components(separatedBy: "\n\n").map(SSEClient.parse)
            let final = try #require(frames.last { $0.event != nil })
            #expect(final.event == "stream.cutoff")
            let lastDelivered = frames.last { $0.event == "message.created" }?.id
            #expect(final.json["resumeFrom"] as? Int64 == lastDelivered)
            #expect(final.id == lastDelivered)
        }
    }

    /// The body of a raw HTTP/1.1 response with chunked transfer encoding.
    static func dechunk(_ response: String) -> String {
        guard let start = response.range(of: "\r\n\r\n") else { return "" }
        var rest = Substring(response[start.upperBound...])
        var body = ""
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let chunkStart = lineEnd.upperBound
            let utf8 = rest.utf8
            guard let chunkEnd = utf8.index(chunkStart, offsetBy: size, limitedBy: utf8.endIndex) else { break }
            body += String(rest[chunkStart..<chunkEnd])
            rest = rest[chunkEnd...].dropFirst(2)
        }
        return body
    }
}
