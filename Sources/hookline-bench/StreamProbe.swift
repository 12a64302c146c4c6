import AsyncHTTPClient
import Histogram
import NIOCore
import Synchronization

/// Phase g, PROVISIONAL: Hookline's server-sent event stream, if it has one.
///
/// Only this much of the stream is settled: `GET /api/v1/stream` with Bearer auth answers
/// `text/event-stream`. The event format is not, so this probe assumes nothing about it:
/// - availability: anything but a 200 with `text/event-stream` prints `sse: not available`;
/// - memory: Hookline's RSS growth per idle stream, with `streams` held open at once;
/// - fan-out: one message is created, and each stream's latency is the time until that message's id
///   appears anywhere in its raw bytes (a guess that any event about a message names its id).
/// Revisit once the stream's events are specified.
struct StreamProbe: Sendable {
    /// Hookline's URL and credentials.
    var api: HooklineAPI
    /// The target that sends the marker message.
    var target: BenchTarget
    /// Streams to hold open at once.
    var streams: Int

    /// Runs the probe with a client of its own (each stream holds a connection).
    func run() async -> BenchReport.Stream {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(5), concurrentHTTP1ConnectionsPerHostSoftLimit: streams + 1)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let api = HooklineAPI(baseURL: self.api.baseURL, apiKey: self.api.apiKey, client: client)
        let report = await measure(api: api, client: client)
        try? await client.shutdown()
        return report
    }

    private func measure(api: HooklineAPI, client: HTTPClient) async -> BenchReport.Stream {
        let request = {
            var request = api.request(path: "/api/v1/stream")
            request.headers.replaceOrAdd(name: "accept", value: "text/event-stream")
            return request
        }()

        let first: HTTPClientResponse
        do {
            first = try await client.execute(request, timeout: .seconds(5))
        } catch {
            return .init(available: false, note: "not available (\(error))")
        }
        let contentType = first.headers.first(name: "content-type") ?? ""
        guard first.status == .ok, contentType.hasPrefix("text/event-stream") else {
            _ = try? await first.body.collect(upTo: 1 << 20)
            return .init(available: false, note: "not available (HTTP \(first.status.code))")
        }

        let opened = OpenCount()
        let baseline = target.memory()
        return await withTaskGroup(of: StreamCapture.self) { group in
            group.addTask { await StreamCapture.record(first.body) }
            for _ in 1..<streams {
                group.addTask {
                    guard let response = try? await client.execute(request, timeout: .seconds(3600)),
                        response.status == .ok
                    else { return StreamCapture() }
                    opened.increment()
                    return await StreamCapture.record(response.body)
                }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while opened.value < streams, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            try? await Task.sleep(for: .seconds(1))
            let loaded = target.memory()

            let sentAt = ContinuousClock.now
            let outcome = await target.sendMessage(sentAt: sentAt)
            try? await Task.sleep(for: .seconds(2))
            group.cancelAll()
            try? await client.shutdown()  // ends any body that ignores cancellation

            var captures: [StreamCapture] = []
            for await capture in group { captures.append(capture) }

            let openCount = opened.value
            var report = BenchReport.Stream(available: true, note: "\(openCount) of \(streams) streams opened", streams: openCount)
            if let baseline, let loaded, openCount > 0 {
                report.rssPerStreamKib = Double(loaded.rssKib - baseline.rssKib) / Double(openCount)
            }
            if case let .accepted(messageID) = outcome {
                var fanOut = Histogram<UInt64>.latency()
                for capture in captures {
                    if let arrival = capture.firstSighting(of: messageID) { fanOut.record(sentAt.duration(to: arrival)) }
                }
                report.fanOut = LatencySummary(fanOut)
                report.note += "; message id seen on \(fanOut.totalCount)"
            }
            return report
        }
    }
}

extension StreamProbe {
    /// Streams open so far, counted from the tasks that opened them.
    private final class OpenCount: Sendable {
        private let count = Atomic<Int>(1)

        /// One more stream is open.
        func increment() {
            count.add(1, ordering: .relaxed)
        }

        /// Streams open so far.
        var value: Int {
            count.load(ordering: .relaxed)
        }
    }
}
