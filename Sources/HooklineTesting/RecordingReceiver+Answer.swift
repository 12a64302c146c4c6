import HTTPTypes
import Hummingbird
import NIOCore

extension RecordingReceiver {
    /// Answers every later request that is not failed on purpose with `status`, `headers` and a body of
    /// `bodySize` bytes — e.g. a redirect, or a body far larger than Hookline keeps.
    public func answer(status: Int, headers: [String: String] = [:], bodySize: Int = 0) {
        scripted.withLock { $0 = ScriptedAnswer(status: status, headers: headers, bodySize: bodySize) }
    }
}

/// A scripted answer: status, headers and a body of `bodySize` bytes streamed in 64 KiB chunks.
struct ScriptedAnswer: Sendable {
    /// The status code.
    var status: Int
    /// Extra header fields.
    var headers: [String: String]
    /// The body's length (`x` bytes).
    var bodySize: Int

    /// The response; the body is generated while it is written, so the receiver holds one chunk at a time.
    func response() -> Response {
        var fields = HTTPFields()
        for (name, value) in headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        let status = HTTPResponse.Status(code: status)
        guard bodySize > 0 else { return Response(status: status, headers: fields) }
        let size = bodySize
        return Response(
            status: status, headers: fields,
            body: ResponseBody { writer in
                let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
                var left = size
                while left > 0 {
                    try await writer.write(chunk.getSlice(at: 0, length: min(left, chunk.readableBytes))!)
                    left -= chunk.readableBytes
                }
                try await writer.finish(nil)
            })
    }
}
