import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A response body writer that keeps what is written.
final class BodyCollector: ResponseBodyWriter {
    private(set) var data = Data()

    func write(_ buffer: ByteBuffer) async throws {
        data.append(contentsOf: buffer.readableBytesView)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
