import AsyncHTTPClient
import Foundation
import HooklineCore
import HooklineTesting
import NIOCore
import Synchronization

/// A test client for Hookline's event stream: parses frames as they arrive and lets a test wait for them.
final class SSEClient: Sendable {
    /// One parsed frame: an event, a `retry:` line or a comment.
    struct Frame: Sendable {
        var id: Int64?
        var event: String?
        var data: String = ""
        var retry: Int?
        var comment: String?
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:] }
    }

    /// A client with room for many streams at once.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(5), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    private final class Inbox: Sendable {
        let frames = Mutex<[Frame]>([])
        let ended = Atomic<Bool>(false)
    }

    private let inbox = Inbox()
    private let arrived = WakeSignal()
    private let reader = Mutex<Task<Void, Never>?>(nil)
    /// The response status and headers.
    let status: Int
    let headers: [String: String]

    /// Opens `path`; waits for the response head and, on a 200, for the first frame (`retry:`), which the server
    /// sends only once its live feed is registered: events committed after `init` returns are not missed.
    init(baseURL: String, path: String, apiKey: String? = TestNode.apiKey, headers extra: [String: String] = [:]) async throws {
        var request = HTTPClientRequest(url: baseURL + path)
        if let apiKey { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        request.headers.add(name: "accept", value: "text/event-stream")
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        let response = try await Self.http.execute(request, timeout: .seconds(120))
        status = Int(response.status.code)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        self.headers = headers
        let task = Task { [inbox, arrived] in
            var pending = ""
            do {
                for try await chunk in response.body {
                    pending += String(buffer: chunk)
                    while let range = pending.range(of: "\n\n") {
                        let block = String(pending[..<range.lowerBound])
                        pending = String(pending[range.upperBound...])
                        let frame = Self.parse(block)
                        inbox.frames.withLock { $0.append(frame) }
                        arrived.signal()
                    }
                }
            } catch {}
            inbox.ended.store(true, ordering: .relaxed)
            arrived.signal()
        }
        reader.withLock { $0 = task }
        if status == 200 { await waitFor(timeout: .seconds(20)) { !$0.isEmpty } }
    }

    static func parse(_ block: String) -> Frame {
        var frame = Frame()
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") {
                frame.comment = String(line.dropFirst()).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("id: ") {
                frame.id = Int64(line.dropFirst(4))
            } else if line.hasPrefix("event: ") {
                frame.event = String(line.dropFirst(7))
            } else if line.hasPrefix("data: ") {
                frame.data += String(line.dropFirst(6))
            } else if line.hasPrefix("retry: ") {
                frame.retry = Int(line.dropFirst(7))
            }
        }
        return frame
    }

    /// Every frame so far.
    var all: [Frame] { inbox.frames.withLock { $0 } }
    /// The events so far (frames with an `event:`).
    var events: [Frame] { all.filter { $0.event != nil } }
    /// Whether the server ended the stream.
    var isEnded: Bool { inbox.ended.load(ordering: .relaxed) }

    /// Waits until `condition` holds over the frames so far, or `timeout` passes.
    @discardableResult
    func waitFor(timeout: Duration = .seconds(10), _ condition: @escaping @Sendable ([Frame]) -> Bool) async -> Bool {
        await Deadline.wait(timeout: timeout, signal: arrived) { [self] in condition(all) || isEnded }
            && condition(all)
    }

    /// Waits until the async `condition` (e.g. a query of the server) holds, re-checked as each frame arrives.
    @discardableResult
    func waitUntil(timeout: Duration = .seconds(20), _ condition: @escaping @Sendable () async throws -> Bool) async -> Bool {
        await Deadline.wait(timeout: timeout, signal: arrived) { (try? await condition()) ?? false }
    }

    /// Waits for `count` events whose `event:` passes `kind`.
    @discardableResult
    func waitForEvents(_ count: Int, kind: String? = nil, timeout: Duration = .seconds(10)) async -> [Frame] {
        await waitFor(timeout: timeout) { frames in frames.filter { $0.event != nil && (kind == nil || $0.event == kind) }.count >= count }
        return events.filter { kind == nil || $0.event == kind }
    }

    /// Stops reading and drops the connection.
    func close() {
        reader.withLock { $0?.cancel() }
    }
}
