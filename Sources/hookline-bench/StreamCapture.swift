import AsyncHTTPClient
import NIOCore

/// The raw bytes one event stream delivered, with the instant each chunk arrived.
struct StreamCapture: Sendable {
    private var bytes = ByteBuffer()
    private var chunkEnds: [(offset: Int, arrival: ContinuousClock.Instant)] = []

    /// Bytes kept per stream; the probe only needs the first events.
    static let limit = 256 * 1024

    /// Reads `body` until it ends, fails or the task is cancelled.
    static func record(_ body: HTTPClientResponse.Body) async -> StreamCapture {
        var capture = StreamCapture()
        do {
            for try await var chunk in body where capture.bytes.readableBytes < limit {
                capture.bytes.writeBuffer(&chunk)
                capture.chunkEnds.append((capture.bytes.readableBytes, ContinuousClock.now))
            }
        } catch {
            // Cancelled or closed: keep what arrived.
        }
        return capture
    }

    /// When the chunk that completed the first occurrence of `text` arrived.
    func firstSighting(of text: String) -> ContinuousClock.Instant? {
        guard let offset = bytes.readableOffset(of: text) else { return nil }
        let end = offset + text.utf8.count
        return chunkEnds.first { $0.offset >= end }?.arrival
    }
}
