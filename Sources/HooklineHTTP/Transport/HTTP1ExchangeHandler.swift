import NIOCore
import NIOHTTP1

/// What one request on a pooled connection produced. Always delivered by succeeding the exchange's
/// promise (never by failing it), so the caller's await cannot throw.
struct HTTP1Reply: Sendable {
    /// The outcome proper.
    enum Kind: Sendable {
        /// A complete response (the body cut at the cap).
        case response(status: Int, retryAfter: String?, body: ByteBuffer)
        /// The deadline passed before the response was complete.
        case timedOut
        /// The connection failed or closed first; the text says how.
        case failed(String)
        /// The connection had closed before anything was written: safe to send again elsewhere.
        case notSent
    }

    /// The outcome.
    var kind: Kind
    /// Whether the connection may carry another request.
    var reusable: Bool
}

/// One request for a pooled connection: the parts to write, its deadline and the promise for the reply.
struct HTTP1Exchange: Sendable {
    /// The request head (method, target, headers).
    var head: HTTPRequestHead
    /// The request body.
    var body: ByteBuffer
    /// When the exchange times out.
    var deadline: NIODeadline
    /// Succeeded exactly once with the reply.
    var promise: EventLoopPromise<HTTP1Reply>
}

/// Drives one request at a time over a keep-alive HTTP/1.1 connection, on the channel's event loop.
///
/// It writes the request, keeps the status, `retry-after` and at most `bodyCap` body bytes, and reads
/// the rest of the body so the connection can be reused — unless the body passes `drainLimit`, or the
/// response asked to close, in which case it answers as soon as it has what it keeps and closes. One
/// timer per connection serves both the request deadline and the idle timeout: it is only rescheduled
/// when a nearer deadline comes along, so a stream of quick requests costs no timer work each.
final class HTTP1ExchangeHandler: ChannelInboundHandler {
    /// Response parts from `HTTPResponseDecoder`.
    typealias InboundIn = HTTPClientResponsePart
    /// Request parts for `HTTPRequestEncoder`.
    typealias OutboundOut = HTTPClientRequestPart

    private let bodyCap: Int
    private let drainLimit: Int
    private let idleTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var current: HTTP1Exchange?
    private var status = 0
    private var retryAfter: String?
    private var kept = ByteBuffer()
    private var seen = 0
    private var keepAlive = true
    private var lastUsed = NIODeadline.now()
    private var timer: Scheduled<Void>?
    private var timerAt: NIODeadline?
    /// The peer the socket connected to, recorded when the channel became active (NIO forgets it on close).
    private(set) var connectedPeer: SocketAddress?

    /// Creates a handler keeping `bodyCap` bytes, draining up to `drainLimit`, closing after `idleTimeout` unused.
    init(bodyCap: Int, drainLimit: Int, idleTimeout: TimeAmount) {
        self.bodyCap = bodyCap
        self.drainLimit = drainLimit
        self.idleTimeout = idleTimeout
    }

    /// Records the connected peer for the connection guard, then passes the event on.
    func channelActive(context: ChannelHandlerContext) {
        connectedPeer = context.channel.remoteAddress
        context.fireChannelActive()
    }

    /// Remembers the context. The idle clock starts after the first exchange: a new connection belongs to
    /// the request that opened it, however long that request takes to start.
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// Forgets the context and the timer.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        cancelTimer()
    }

    /// Writes `exchange`'s request; fails it at once when the connection is busy or gone.
    func start(_ exchange: HTTP1Exchange) {
        guard let context, current == nil, context.channel.isActive else {
            exchange.promise.succeed(HTTP1Reply(kind: .notSent, reusable: false))
            return
        }
        current = exchange
        status = 0
        retryAfter = nil
        kept.clear()
        seen = 0
        keepAlive = true
        arm(at: exchange.deadline)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(exchange.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Collects the response; answers the exchange at its end (or early when the connection will close).
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard current != nil else { return context.close(promise: nil) }
            guard head.status.code >= 200 || head.status.code == 101 else { return }
            status = Int(head.status.code)
            retryAfter = head.headers.first(name: "retry-after")
            keepAlive = head.isKeepAlive
            if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > drainLimit { keepAlive = false }
        case .body(var chunk):
            guard current != nil else { return }
            seen += chunk.readableBytes
            let room = bodyCap - kept.readableBytes
            if room > 0, let slice = chunk.readSlice(length: min(room, chunk.readableBytes)) {
                if kept.readableBytes == 0 { kept = slice } else { kept.writeImmutableBuffer(slice) }
            }
            if seen > drainLimit || (!keepAlive && kept.readableBytes >= bodyCap) {
                finish(.response(status: status, retryAfter: retryAfter, body: kept), reusable: false)
                context.close(promise: nil)
            }
        case .end:
            guard current != nil else { return }
            let reusable = keepAlive && status != 101
            finish(.response(status: status, retryAfter: retryAfter, body: kept), reusable: reusable)
            if !reusable { context.close(promise: nil) }
        }
    }

    /// A peer that closes before the response is complete fails the exchange.
    func channelInactive(context: ChannelHandlerContext) {
        finish(.failed("network error: the connection closed before the response was complete"), reusable: false)
        cancelTimer()
        context.fireChannelInactive()
    }

    /// Any error fails the exchange (if one is running) and closes the connection.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failed("network error: \(error)"), reusable: false)
        context.close(promise: nil)
    }

    private func finish(_ kind: HTTP1Reply.Kind, reusable: Bool) {
        guard let exchange = current else { return }
        current = nil
        kept = ByteBuffer()
        if reusable {
            lastUsed = .now()
            arm(at: lastUsed + idleTimeout)
        }
        exchange.promise.succeed(HTTP1Reply(kind: kind, reusable: reusable))
    }

    private func arm(at deadline: NIODeadline) {
        if let timerAt, timerAt <= deadline { return }
        guard let context else { return }
        timer?.cancel()
        timerAt = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in fire() }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerAt = nil
    }

    private func fire() {
        timer = nil
        timerAt = nil
        guard let context, context.channel.isActive else { return }
        let now = NIODeadline.now()
        if let exchange = current {
            guard now < exchange.deadline else {
                finish(.timedOut, reusable: false)
                return context.close(promise: nil)
            }
            arm(at: exchange.deadline)
        } else if now >= lastUsed + idleTimeout {
            context.close(promise: nil)
        } else {
            arm(at: lastUsed + idleTimeout)
        }
    }
}
