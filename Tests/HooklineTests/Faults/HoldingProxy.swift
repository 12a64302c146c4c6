import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on 127.0.0.1 that can black-hole its path: while holding, bytes in both directions are kept
/// back (as a network that drops packets would have TCP retransmit them later) and new connections get no
/// answer; on release everything held flows on. No connection is reset either way.
final class HoldingProxy: Sendable {
    private let holding = Mutex(false)
    private let relays = Mutex<[Relay]>([])

    /// Keeps every byte back from now on.
    func hold() { holding.withLock { $0 = true } }

    /// Lets the held bytes and all later ones through.
    func release() {
        holding.withLock { $0 = false }
        for relay in relays.withLock({ $0 }) { relay.flushHeld() }
    }

    fileprivate var isHolding: Bool { holding.withLock { $0 } }

    /// Runs a proxy to `host:port` for the duration of `body`, which gets the proxy and its port.
    static func with<T: Sendable>(to host: String, port: Int, _ body: (HoldingProxy, Int) async throws -> T) async throws -> T {
        let proxy = HoldingProxy()
        let group = MultiThreadedEventLoopGroup.singleton
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: true)
            .childChannelInitializer { inbound in
                let front = Relay(proxy: proxy, channel: inbound)
                proxy.relays.withLock { $0.append(front) }
                return inbound.eventLoop.makeCompletedFuture { try inbound.pipeline.syncOperations.addHandler(front) }.flatMap {
                    ClientBootstrap(group: inbound.eventLoop).channelInitializer { outbound in
                        let back = Relay(proxy: proxy, channel: outbound)
                        proxy.relays.withLock { $0.append(back) }
                        back.attach(peer: inbound)
                        return outbound.eventLoop.makeCompletedFuture { try outbound.pipeline.syncOperations.addHandler(back) }
                    }.connect(host: host, port: port).map { outbound in
                        inbound.eventLoop.execute { front.attach(peer: outbound) }
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let localPort = listener.localAddress?.port ?? 0
        do {
            let result = try await body(proxy, localPort)
            try? await listener.close()
            return result
        } catch {
            try? await listener.close()
            throw error
        }
    }
}

/// One side of a proxied connection: forwards what its channel reads to the peer, or keeps it while the
/// proxy holds (or before the peer is connected). Its state is touched on its channel's event loop only.
private final class Relay: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private let proxy: HoldingProxy
    private let channel: any Channel
    private var peer: (any Channel)?
    private var held: [ByteBuffer] = []

    init(proxy: HoldingProxy, channel: any Channel) {
        self.proxy = proxy
        self.channel = channel
    }

    /// Sets the channel to forward to and sends what was kept for it (on this relay's event loop).
    func attach(peer: any Channel) {
        self.peer = peer
        forwardHeld()
    }

    /// Sends what was kept, unless the proxy still holds (from any thread).
    func flushHeld() {
        channel.eventLoop.execute { self.forwardHeld() }
    }

    private func forwardHeld() {
        guard let peer, !proxy.isHolding, !held.isEmpty else { return }
        for buffer in held { peer.write(buffer, promise: nil) }
        held.removeAll()
        peer.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if let peer, !proxy.isHolding, held.isEmpty {
            peer.writeAndFlush(buffer, promise: nil)
        } else {
            held.append(buffer)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
