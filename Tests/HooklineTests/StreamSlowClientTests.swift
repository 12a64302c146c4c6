import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct StreamSlowClientTests {
    @Test func clientThatStopsReadingIsCutOffWithAResumeId() async throws {
        try await TestNode.with(stream: .init(bufferSize: 64, batchSize: 16)) { node in
            let broadcaster = try #require(node.broadcaster)
            let port = try #require(URL(string: node.baseURL)?.port)
            let raw = try RawConnection(port: port, timeout: 10, receiveBuffer: 4096)
            raw.send("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(TestNode.apiKey)\r\n\r\n")
            #expect(await Deadline.wait(timeout: .seconds(20), signal: broadcaster.activity) { broadcaster.subscriberCount == 1 })
            // Enough events to fill the socket buffers of a client that reads nothing.
            let app = Fixtures.application(at: Date())
            try await node.store.insertApplication(app)
            // Fat events (a long event type appears twice in each) fill the socket buffers with few rows.
            let longType = String(repeating: "t", count: 4000)
            for _ in 0..<100 {
                let batch = (0..<200).map { _ in
                    var message = Fixtures.message(app: app, at: Date())
                    message.eventType = longType
                    return NewMessage(message: message, endpointIds: [], deliverAt: Date())
                }
                _ = try await node.store.insertMessages(batch)
                let last = try await node.store.eventLogBounds().lastId
                broadcaster.changed.signal()
                // Until the tailer has offered this batch (or cut the client off): then the next batch piles on.
                await Deadline.wait(timeout: .seconds(30), signal: broadcaster.activity) {
                    broadcaster.cutOffs > 0 || (broadcaster.position ?? 0) >= last
                }
                if broadcaster.cutOffs > 0 { break }
            }
            #expect(broadcaster.cutOffs == 1)
            #expect(broadcaster.subscriberCount == 0, "a cut-off client holds no buffer")
            let (text, closed) = await raw.receive(limit: 256 << 20)
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
        let bytes = Array(response.utf8)
        let crlf: [UInt8] = [13, 10]
        func find(_ pattern: [UInt8], from start: Int) -> Int? {
            guard start + pattern.count <= bytes.count else { return nil }
            return (start...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
        }
        guard let head = find(crlf + crlf, from: 0) else { return "" }
        var position = head + 4
        var body: [UInt8] = []
        while let lineEnd = find(crlf, from: position),
            let size = Int(String(decoding: bytes[position..<lineEnd], as: UTF8.self), radix: 16), size > 0,
            lineEnd + 2 + size <= bytes.count
        {
            body += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            position = lineEnd + 2 + size + 2
        }
        return String(decoding: body, as: UTF8.self)
    }
}
