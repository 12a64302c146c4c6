import Foundation

/// Reads a child's output pipe on a thread of its own (the reads block), line by line.
///
/// Each line is offered to `claim`; lines it does not claim are copied to the bench's standard error
/// with a prefix. The thread ends when the pipe reaches end of file, that is when the child exits.
enum OutputPump {
    /// Starts pumping `handle`.
    static func start(
        reading handle: FileHandle,
        prefix: String,
        claim: @escaping @Sendable (String) -> Bool,
        onEnd: @escaping @Sendable () -> Void = {}
    ) {
        Thread.detachNewThread {
            var pending = [UInt8]()
            func emit(_ bytes: ArraySlice<UInt8>) {
                let line = String(decoding: bytes, as: UTF8.self)
                if !claim(line) {
                    FileHandle.standardError.write(Data((prefix + line + "\n").utf8))
                }
            }
            // `availableData` returns as soon as anything arrived (`read(upToCount:)` would wait for all of it).
            while case let chunk = handle.availableData, !chunk.isEmpty {
                pending.append(contentsOf: chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    emit(pending[..<newline])
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { emit(pending[...]) }
            onEnd()
        }
    }
}
