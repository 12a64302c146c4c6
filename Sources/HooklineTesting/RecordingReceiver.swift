import Foundation
import HTTPTypes
import HooklineCore
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A real HTTP receiver on 127.0.0.1 that records every request and can fail the first N.
package final class RecordingReceiver: Sendable {
    /// One received request.
    package struct Received: Sendable {
        /// The request path.
        package var path: String
        /// Header fields, names lowercased.
        package var headers: [String: String]
        /// The raw body.
        package var body: Data
        /// When it arrived.
        package var receivedAt: Date
    }

    private struct State {
        var received: [Received] = []
        var failuresLeft = 0
        var failureStatus = 500
        var failureRate = 0.0
        var random = SplitMix64(seed: 0)
        var delaysLeft = 0
        var delay: Duration = .zero
        var failOnce: Set<String> = []
        var holdsLeft = 0
        var released = false
        var held: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let arrived = WakeSignal()
    /// The answer set by `answer(status:headers:bodySize:)`, if any.
    let scripted = Mutex<ScriptedAnswer?>(nil)

    private init() {}

    /// Everything received so far.
    package var received: [Received] { state.withLock { $0.received } }

    /// Raised after each request is recorded, for waiting on a condition over `received`.
    package var arrivals: WakeSignal { arrived }

    /// Answers the next `count` requests with `status` instead of 200.
    package func failNext(_ count: Int, status: Int = 500) {
        state.withLock {
            $0.failuresLeft = count
            $0.failureStatus = status
        }
    }

    /// Fails each request with 500 with probability `rate`, drawn from a generator seeded with `seed`.
    package func failRandomly(rate: Double, seed: UInt64) {
        state.withLock {
            $0.failureRate = rate
            $0.random = SplitMix64(seed: seed)
        }
    }

    /// Answers 500 to the first request whose body contains each of `markers`; later ones are treated normally.
    package func failFirstAttempt(ofBodiesContaining markers: Set<String>) {
        state.withLock { $0.failOnce.formUnion(markers) }
    }

    /// Holds the next `count` requests for `delay` before answering, like a receiver that hangs.
    package func delayNext(_ count: Int, by delay: Duration) {
        state.withLock {
            $0.delaysLeft = count
            $0.delay = delay
        }
    }

    /// Holds the next `count` requests unanswered until `release()`, like a receiver that hangs until the test says.
    package func holdNext(_ count: Int) {
        state.withLock {
            $0.holdsLeft = count
            $0.released = false
        }
    }

    /// Answers every held request, and later ones that were to be held at once.
    package func release() {
        let held = state.withLock { state in
            state.released = true
            defer { state.held = [] }
            return state.held
        }
        for request in held { request.resume() }
    }

    /// Waits until `count` requests arrived or `timeout` passed; returns what arrived.
    @discardableResult
    package func waitFor(_ count: Int, timeout: Duration = .seconds(10)) async -> [Received] {
        await Deadline.wait(timeout: timeout, signal: arrived) { self.received.count >= count }
        return received
    }

    /// Waits until `condition` holds over everything received, re-checked on each arrival; false if `timeout` passed first.
    package func waitUntil(timeout: Duration = .seconds(10), _ condition: @escaping @Sendable ([Received]) -> Bool) async -> Bool {
        await Deadline.wait(timeout: timeout, signal: arrived) { condition(self.received) }
    }

    private func record(_ request: Request, body: ByteBuffer) async -> HTTPResponse.Status {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let (status, delay, hold) = state.withLock { state -> (Int, Duration, Bool) in
            state.received.append(Received(path: request.uri.path, headers: headers, body: Data(buffer: body), receivedAt: Date()))
            let hold = state.holdsLeft > 0 && !state.released
            if hold { state.holdsLeft -= 1 }
            var delay = Duration.zero
            if state.delaysLeft > 0 {
                state.delaysLeft -= 1
                delay = state.delay
            }
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                return (state.failureStatus, delay, hold)
            }
            if !state.failOnce.isEmpty {
                let text = String(decoding: body.readableBytesView, as: UTF8.self)
                if let marker = state.failOnce.first(where: { text.contains($0) }) {
                    state.failOnce.remove(marker)
                    return (500, delay, hold)
                }
            }
            if state.failureRate > 0, Double.random(in: 0..<1, using: &state.random) < state.failureRate {
                return (500, delay, hold)
            }
            return (200, delay, hold)
        }
        arrived.signal()
        if hold {
            await withCheckedContinuation { (request: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    if state.released { return true }
                    state.held.append(request)
                    return false
                }
                if now { request.resume() }
            }
        }
        if delay > .zero { try? await Task.sleep(for: delay) }
        return HTTPResponse.Status(code: status)
    }

    /// Runs a receiver for the duration of `body`, passing its base URL (`http://127.0.0.1:PORT`).
    package static func with<T: Sendable>(_ body: @Sendable (RecordingReceiver, String) async throws -> T) async throws -> T {
        let receiver = RecordingReceiver()
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let buffer = try await request.body.collect(upTo: 16 << 20)
            let status = await receiver.record(request, body: buffer)
            if status == .ok, let answer = receiver.scripted.withLock({ $0 }) { return answer.response() }
            return Response(status: status)
        }
        router.post("/", use: handler)
        router.post("**", use: handler)
        var logger = Logger(label: "recording-receiver")
        logger.logLevel = .warning
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let services = ServiceGroup(services: [application], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var ports = portStream.makeAsyncIterator()
            guard let port = await ports.next() else { throw CancellationError() }
            let result: T
            do {
                result = try await body(receiver, "http://127.0.0.1:\(port)")
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }
}

extension RecordingReceiver {
    /// Answers every later request that is not failed on purpose with `status`, `headers` and a body of
    /// `bodySize` bytes — e.g. a redirect, or a body far larger than Hookline keeps.
    package func answer(status: Int, headers: [String: String] = [:], bodySize: Int = 0) {
        scripted.withLock { $0 = ScriptedAnswer(status: status, headers: headers, bodySize: bodySize) }
    }
}

/// A scripted answer: status, headers and a body of `bodySize` bytes streamed in 64 KiB chunks.
struct ScriptedAnswer: Sendable {
    /// The status code.
    var status: Int
    /// Extra header fields.
    var headers: [String: String]
    /// The body's length (`x` bytes).
    var bodySize: Int

    /// The response; the body is generated while it is written, so the receiver holds one chunk at a time.
    func response() -> Response {
        var fields = HTTPFields()
        for (name, value) in headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        let status = HTTPResponse.Status(code: status)
        guard bodySize > 0 else { return Response(status: status, headers: fields) }
        let size = bodySize
        return Response(
            status: status, headers: fields,
            body: ResponseBody { writer in
                let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
                var left = size
                while left > 0 {
                    try await writer.write(chunk.getSlice(at: 0, length: min(left, chunk.readableBytes))!)
                    left -= chunk.readableBytes
                }
                try await writer.finish(nil)
            })
    }
}
