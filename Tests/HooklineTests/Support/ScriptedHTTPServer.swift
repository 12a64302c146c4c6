import Foundation
import HooklineCore
import HooklineTesting
import NIOCore
import NIOPosix
import Synchronization

/// A raw TCP server on 127.0.0.1 that answers each HTTP/1.1 request with scripted bytes — including
/// answers no real server would give (half a response, then a close; nothing at all) — and counts the
/// connections it accepted, so tests can see keep-alive reuse.
final class ScriptedHTTPServer: Sendable {
    /// What to do with one request.
    enum Action: Sendable {
        /// Write these bytes (a whole response, or part of one) and keep the connection.
        case reply(String)
        /// Write these bytes, then close the connection.
        case replyAndClose(String)
        /// Write nothing, keep the connection open.
        case hang
        /// Write nothing until `release()` is called, then write these bytes and keep the connection.
        case hold(String)
        /// Write `head`, then one byte of body every `interval`, forever (a receiver that trickles).
        case trickle(head: String, interval: TimeAmount)
        /// Write `head`, then `bytes` bytes of body in 64 KiB chunks as fast as the peer reads them.
        case stream(head: String, bytes: Int)
    }

    private struct State {
        var connections = 0
        var closed = 0
        var requests: [String] = []
        var held: [(channel: any Channel, bytes: String)] = []
        var released = false
    }

    private let state = Mutex(State())
    private let script: @Sendable (Int) -> Action
    private let channel = Mutex<(any Channel)?>(nil)

    /// A 200 with a two-byte body.
    static let ok = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"

    private let closes = WakeSignal()

    private init(script: @escaping @Sendable (Int) -> Action) {
        self.script = script
    }

    /// Connections accepted so far.
    var connections: Int { state.withLock { $0.connections } }
    /// Connections closed so far (by either side).
    var closedConnections: Int { state.withLock { $0.closed } }
    /// Request heads received so far (request line and fields).
    var requests: [String] { state.withLock { $0.requests } }

    /// Runs a server answering request number `n` (from 0) with `script(n)` for the duration of `body`,
    /// which gets the server and its base URL.
    static func with<T: Sendable>(
        script: @escaping @Sendable (Int) -> Action, _ body: (ScriptedHTTPServer, String) async throws -> T
    ) async throws -> T {
        let server = ScriptedHTTPServer(script: script)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                server.state.withLock { $0.connections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RequestSplitter(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress?.port ?? 0
        do {
            let result = try await body(server, "http://127.0.0.1:\(port)")
            try? await listener.close()
            return result
        } catch {
            try? await listener.close()
            throw error
        }
    }

    /// Writes the answer of every held request, and answers later `hold` requests at once.
    func release() {
        let held = state.withLock { state in
            state.released = true
            defer { state.held = [] }
            return state.held
        }
        for (channel, bytes) in held { channel.writeAndFlush(ByteBuffer(string: bytes), promise: nil) }
    }

    /// Keeps `bytes` for `channel` until `release()`; true if they should be written now (already released).
    fileprivate func hold(_ bytes: String, on channel: any Channel) -> Bool {
        state.withLock { state in
            if state.released { return true }
            state.held.append((channel, bytes))
            return false
        }
    }

    /// Counts a closed connection.
    fileprivate func connectionClosed() {
        state.withLock { $0.closed += 1 }
        closes.signal()
    }

    /// Waits until `count` connections have closed, re-checked as each closes; false if `timeout` passed first.
    func waitForClosedConnections(_ count: Int, timeout: Duration = .seconds(20)) async -> Bool {
        await Deadline.wait(timeout: timeout, signal: closes) { self.closedConnections >= count }
    }

    /// Records `head` and decides what to answer.
    fileprivate func received(_ head: String) -> Action {
        let number = state.withLock { state -> Int in
            state.requests.append(head)
            return state.requests.count - 1
        }
        return script(number)
    }
}

/// Cuts the byte stream into requests (head up to the blank line, then `content-length` body bytes).
private final class RequestSplitter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: ScriptedHTTPServer
    private var pending = ByteBuffer()

    init(server: ScriptedHTTPServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        pending.writeBuffer(&chunk)
        while let text = pending.getString(at: pending.readerIndex, length: pending.readableBytes),
            let blank = text.range(of: "\r\n\r\n")
        {
            let head = String(text[..<blank.lowerBound])
            let length =
                head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
            let total = text.utf8.distance(from: text.utf8.startIndex, to: blank.upperBound) + length
            guard pending.readableBytes >= total else { return }
            pending.moveReaderIndex(forwardBy: total)
            switch server.received(head) {
            case .reply(let bytes):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: bytes)), promise: nil)
            case .replyAndClose(let bytes):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: bytes))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            case .hang:
                break
            case .hold(let bytes):
                if server.hold(bytes, on: context.channel) {
                    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: bytes)), promise: nil)
                }
            case .trickle(let head, let interval):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: head)), promise: nil)
                let channel = context.channel
                channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { task in
                    guard channel.isActive else { return task.cancel() }
                    channel.writeAndFlush(ByteBuffer(string: "x"), promise: nil)
                }
            case .stream(let head, let bytes):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: head)), promise: nil)
                Self.stream(bytes, on: context.channel)
            }
        }
    }

    /// Writes `remaining` body bytes in chunks, each after the previous one was written.
    private static func stream(_ remaining: Int, on channel: any Channel) {
        guard remaining > 0, channel.isActive else { return }
        let size = min(remaining, 64 << 10)
        channel.writeAndFlush(ByteBuffer(repeating: UInt8(ascii: "x"), count: size)).whenSuccess {
            stream(remaining - size, on: channel)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        server.connectionClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
