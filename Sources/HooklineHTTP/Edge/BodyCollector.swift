import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A response body writer that keeps what is written.
final class BodyCollector: ResponseBodyWriter {
    /// Everything written so far.
    private(set) var data = Data()

    /// Appends `buffer`.
    func write(_ buffer: ByteBuffer) async throws {
        data.append(contentsOf: buffer.readableBytesView)
    }

    /// Nothing to do: the data is complete.
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
