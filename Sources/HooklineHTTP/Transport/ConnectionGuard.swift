import HooklineCore
import NIOCore

/// Checks the peer address of every new outbound connection against the network policy.
///
/// This is the authoritative SSRF check: it looks at the address the socket actually connected to,
/// after every DNS lookup, so a name that resolved to a permitted address when the transport checked
/// it but to a blocked one when AsyncHTTPClient connected (DNS rebinding) is caught. It runs as the
/// client's connection initializer, before the connection is handed to any request, so no request
/// bytes reach a refused address (for `https` the TLS handshake has happened by then).
struct ConnectionGuard: Sendable {
    /// A connection refused because its peer address is not permitted.
    struct Refused: Error, CustomStringConvertible {
        /// The peer address, as text.
        var address: String
        /// Says which address was refused.
        var description: String { "refused: connected to \(address), which is not allowed" }

        /// The refusal of `remote`, its address in the usual compressed form.
        init(_ remote: SocketAddress?) {
            let text = remote?.ipAddress
            address = text.map { IPAddress($0)?.description ?? $0 } ?? "an unknown address"
        }
    }

    /// The policy applied to peer addresses.
    let policy: NetworkPolicy

    /// Whether a connection to `remote` may be used; unknown or non-IP peers are refused.
    func permits(_ remote: SocketAddress?) -> Bool {
        guard let text = remote?.ipAddress, let address = IPAddress(text) else { return false }
        return policy.permits(address)
    }

    /// The connection initializer: succeeds for permitted peers; otherwise fails, and closes the channel
    /// once the client has recorded the failure.
    func initializer() -> @Sendable (Channel) -> EventLoopFuture<Void> {
        { [self] channel in
            let remote = channel.remoteAddress
            if permits(remote) { return channel.eventLoop.makeSucceededVoidFuture() }
            // Closed on the next tick: the client must first learn that the connection failed to start.
            channel.eventLoop.execute { channel.close(promise: nil) }
            return channel.eventLoop.makeFailedFuture(Refused(remote))
        }
    }
}
