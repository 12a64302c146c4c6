import Foundation

/// A loopback port that accepts TCP connections (in the kernel's backlog) and never reads or answers:
/// the hanging endpoint of the isolation phase. Closing it resets every connection still waiting.
final class HangingListener: Sendable {
    /// The port it listens on.
    let port: Int
    private let socket: Int32

    /// Opens the listener with a backlog of `backlog` connections.
    init(backlog: Int32 = 1024) throws {
        let socket = try FreePort.socket()
        var address = FreePort.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && listen(socket, backlog) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard listening else {
            _ = Glibc.close(socket)
            throw BenchError.io("cannot open the hanging listener: \(String(cString: strerror(errno)))")
        }
        self.socket = socket
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// The URL of an endpoint that never answers.
    var url: String { "http://127.0.0.1:\(port)/hang" }

    /// Closes the listener.
    func close() {
        _ = Glibc.close(socket)
    }
}
