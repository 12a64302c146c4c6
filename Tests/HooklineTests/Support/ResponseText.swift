import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The text a response's body writes, collected in memory (for tests that read answers without a server).
func responseText(_ response: Response) async throws -> String {
    let collected = CollectedText()
    try await response.body.write(CollectingWriter(collected: collected))
    return collected.text.withLock { $0 }
}

/// The bytes a response body wrote.
private final class CollectedText: Sendable {
    let text = Mutex("")
}

/// A body writer that keeps what it is given.
private struct CollectingWriter: ResponseBodyWriter {
    let collected: CollectedText

    mutating func write(_ buffer: ByteBuffer) async throws {
        collected.text.withLock { $0 += String(buffer: buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
