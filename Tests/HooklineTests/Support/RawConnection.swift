import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1 for sending bytes no HTTP client would send.
final class RawConnection: @unchecked Sendable {  // `fd` never changes; reads and writes are the caller's order
    private let fd: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds.
    /// `receiveBuffer` shrinks the socket's receive buffer (a client that reads slowly fills it sooner).
    init(port: Int, timeout: Int = 5, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    /// Writes `text`; returns false when the peer has closed.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// Reads until the peer closes, `limit` bytes arrive, or the read times out; the blocking reads run on a thread
    /// of their own, so a wait of seconds does not hold a thread of the cooperative pool every test shares.
    func receive(limit: Int = 65536) async -> (text: String, closed: Bool) {
        await HooklineProcess.offPool { self.receiveBlocking(limit: limit) }
    }

    private func receiveBlocking(limit: Int) -> (text: String, closed: Bool) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < limit {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (String(decoding: data, as: UTF8.self), true) }
            if count < 0 { break }
            data += buffer[0..<count]
        }
        return (String(decoding: data, as: UTF8.self), false)
    }

    deinit { close(fd) }
}
