import Foundation
import HooklineCore
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A lean HTTP/1.1 client for plain `http` deliveries: keep-alive connections pooled per (host, port),
/// one request at a time on each, straight from the caller's task to the connection's event loop and back.
///
/// It keeps `HTTPClientTransport`'s contract: the caller has done the send-time SSRF check; this client
/// checks every new connection's peer address (`ConnectionGuard`) before a byte is written; redirects
/// are just statuses; response bodies are kept up to the cap; a deadline marks the attempt `timedOut`
/// and closes that connection; a connection that fails or closes before the response is complete fails
/// the request — it is never sent again on another connection. URLs are parsed once per distinct text.
final class PooledHTTP1Transport: Sendable {
    private let configuration: HTTPClientTransport.Configuration
    private let group: any EventLoopGroup
    private let connectionGuard: ConnectionGuard
    private let targets = Mutex<[String: HTTP1Target]>([:])
    private let pools = Mutex<[String: HTTP1HostPool]>([:])

    /// Bodies beyond this are not drained for reuse: the connection is closed instead.
    static let drainLimit = 1 << 20
    /// At most this many parsed URLs are cached; the cache starts over beyond it.
    static let cachedTargets = 4096

    /// A client for `configuration` on `group`'s event loops.
    init(configuration: HTTPClientTransport.Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
        self.connectionGuard = ConnectionGuard(policy: configuration.networkPolicy)
    }

    /// The parsed target of `url` (cached), or nil when this client does not handle it (not plain `http`).
    func target(for url: String) -> HTTP1Target? {
        if let cached = targets.withLock({ $0[url] }) { return cached }
        guard let target = HTTP1Target(url: url, pool: pool(host:port:)) else { return nil }
        targets.withLock { targets in
            if targets.count >= Self.cachedTargets { targets.removeAll(keepingCapacity: true) }
            targets[url] = target
        }
        return target
    }

    /// Sends `request` to `target` (already checked at send time).
    func send(_ request: OutboundRequest, to target: HTTP1Target) async -> TransportResponse {
        guard let head = Self.head(for: request, target: target) else {
            return TransportResponse(statusCode: nil, body: "network error: invalid header field")
        }
        let deadline = NIODeadline.now() + TimeAmount(request.timeout)
        // A pooled connection can close (idle timeout, peer) just as it is handed out; a request that
        // found it closed before writing a byte goes to another connection. Nothing else is sent twice.
        for _ in 0..<3 {
            let connection: HTTP1Connection
            switch await lease(target, deadline: deadline) {
            case .success(let leased): connection = leased
            case .failure(let failure): return failure.response
            }
            let promise = connection.channel.eventLoop.makePromise(of: HTTP1Reply.self)
            var body = connection.channel.allocator.buffer(capacity: request.body.count)
            body.writeBytes(request.body)
            connection.start(HTTP1Exchange(head: head, body: body, deadline: deadline, promise: promise))
            let reply: HTTP1Reply
            do {
                reply = try await promise.futureResult.get()
            } catch {
                reply = HTTP1Reply(kind: .failed("network error: \(error)"), reusable: false)
            }
            target.pool.release(connection, reusable: reply.reusable)
            switch reply.kind {
            case .response(let status, let retryAfter, let body):
                return TransportResponse(statusCode: status, body: String(buffer: body), retryAfter: retryAfter)
            case .timedOut:
                return TransportResponse(statusCode: nil, body: "timed out: no complete response before the deadline", timedOut: true)
            case .failed(let description):
                return TransportResponse(statusCode: nil, body: description)
            case .notSent:
                continue
            }
        }
        return TransportResponse(statusCode: nil, body: "network error: the connection closed before the request was sent")
    }

    /// A connection for one exchange: an idle one, a new one, or the first one freed before `deadline`.
    private func lease(_ target: HTTP1Target, deadline: NIODeadline) async -> Result<HTTP1Connection, ConnectFailure> {
        switch await target.pool.acquire(deadline: deadline) {
        case .connection(let idle):
            return .success(idle)
        case .connect:
            return await connect(target, deadline: deadline)
        case .timedOut:
            return .failure(
                ConnectFailure(
                    response: TransportResponse(
                        statusCode: nil, body: "timed out: no connection became free before the deadline", timedOut: true)))
        case .shutDown:
            return .failure(ConnectFailure(response: TransportResponse(statusCode: nil, body: "network error: the HTTP client is shut down")))
        }
    }

    /// Closes every pooled connection; requests still waiting for one fail.
    func shutdown() async {
        let all = pools.withLock { Array($0.values) }
        for pool in all { await pool.shutdown() }
    }

    private func pool(host: String, port: Int) -> HTTP1HostPool {
        pools.withLock { pools in
            let key = "\(host)|\(port)"
            if let pool = pools[key] { return pool }
            let pool = HTTP1HostPool(capacity: configuration.connectionsPerHost, timers: group)
            pools[key] = pool
            return pool
        }
    }

    /// A failed connect, as the attempt's response.
    private struct ConnectFailure: Error {
        var response: TransportResponse
    }

    /// Opens a connection with a slot from `target`'s pool and checks its peer before anything is written.
    private func connect(_ target: HTTP1Target, deadline: NIODeadline) async -> Result<HTTP1Connection, ConnectFailure> {
        let remaining = deadline - .now()
        let limit = min(TimeAmount(configuration.connectTimeout), remaining)
        guard limit > .zero else {
            target.pool.connectFailed()
            return .failure(ConnectFailure(response: TransportResponse(statusCode: nil, body: "timed out: connect", timedOut: true)))
        }
        let bodyCap = configuration.responseBodyCap
        let idleTimeout = TimeAmount(configuration.idleTimeout)
        let connection: HTTP1Connection
        do {
            connection = try await ClientBootstrap(group: group)
                .connectTimeout(limit)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: target.host, port: target.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = HTTP1ExchangeHandler(bodyCap: bodyCap, drainLimit: Self.drainLimit, idleTimeout: idleTimeout)
                        try channel.pipeline.syncOperations.addHTTPClientHandlers(enableOutboundHeaderValidation: false)
                        try channel.pipeline.syncOperations.addHandler(handler)
                        return HTTP1Connection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
                    }
                }
        } catch {
            target.pool.connectFailed()
            if case ChannelError.connectTimeout = error {
                return .failure(ConnectFailure(response: TransportResponse(statusCode: nil, body: "timed out: \(error)", timedOut: true)))
            }
            return .failure(ConnectFailure(response: TransportResponse(statusCode: nil, body: "network error: \(error)")))
        }
        // The authoritative SSRF check: the address actually connected to, before any request byte. It is read
        // on the channel's loop from what the handler recorded at activation: NIO forgets a channel's peer once
        // it closes, and a peer that closed at once must still be judged by where the socket went.
        let handler = connection.handler
        let peer = try? await connection.channel.eventLoop.submit { handler.value.connectedPeer ?? connection.channel.remoteAddress }.get()
        guard connectionGuard.permits(peer) else {
            connection.channel.close(promise: nil)
            target.pool.connectFailed()
            let refused = ConnectionGuard.Refused(peer)
            return .failure(ConnectFailure(response: TransportResponse(statusCode: nil, body: refused.description, refused: true)))
        }
        guard target.pool.opened(connection) else {
            target.pool.connectFailed()
            return .failure(ConnectFailure(response: TransportResponse(statusCode: nil, body: "network error: the HTTP client is shut down")))
        }
        return .success(connection)
    }

    /// The request head: the caller's fields, then `host` and `content-length`; nil if a field could split the head.
    private static func head(for request: OutboundRequest, target: HTTP1Target) -> HTTPRequestHead? {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 2)
        headers.add(name: "host", value: target.hostHeader)
        for field in request.headers {
            guard isToken(field.name), isSafe(field.value) else { return nil }
            headers.add(name: field.name, value: field.value)
        }
        headers.add(name: "content-length", value: String(request.body.count))
        return HTTPRequestHead(version: .http1_1, method: .POST, uri: target.path, headers: headers)
    }

    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
    }

    private static func isSafe(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 != 0x0D && $0 != 0x0A && $0 != 0 }
    }
}
