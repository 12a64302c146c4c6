import AsyncHTTPClient
import Foundation
import Histogram

/// The figures of one Hookline over one database in the history phase: ingest, the list reads a console makes
/// and the status page.
struct HistoryProbe {
    /// One read's latencies (sequential requests, one at a time), µs.
    struct Read: Codable, Sendable {
        /// Requests timed.
        var count: Int
        /// Median, µs.
        var p50Us: UInt64
        /// 99th percentile, µs.
        var p99Us: UInt64
        /// Slowest, µs.
        var maxUs: UInt64
    }

    /// Everything measured on one database.
    struct Figures: Codable, Sendable {
        /// Finished messages the database held before the phase.
        var history: Int
        /// wrk, flat out, to an application without endpoints: 2xx per second.
        var ingestPerSecond: Double
        /// wrk's ack p99 in that run, µs.
        var ingestP99Us: Int
        /// `GET /api/v1/app/{app}/msg` (limit 50), first page.
        var messagesFirstPage: Read
        /// The same list 10 pages deep (following `iterator`).
        var messagesTenPagesDeep: Read
        /// `GET /api/v1/app/{app}/attempt/endpoint/{endpoint}` (limit 50), first page.
        var attemptsByEndpoint: Read
        /// `GET /api/v1/status`, one every 20 ms (the report is cached for 1 s, so about one in fifty computes it).
        var status: Read
        /// Phase 3 of `run` on this database: wrk flat out to an endpoint on nginx, accepted and delivered per second.
        var sustained: SustainedPhase.Figures?
        /// Phase 4 of `run` on this database: paced load, ack and end-to-end latency.
        var latency: LatencyPhase.Figures?
        /// Hookline's RSS at the end, MiB.
        var rssMiB: Double?
    }

    /// Sequential requests per read (status: paced, see `Figures.status`).
    var requests: Int
    /// wrk's measured seconds for ingest (after a 2 s warm-up).
    var ingestSeconds: Double

    /// Measures the server behind `api` whose seeded application is `appId` with endpoint `endpointId`; with
    /// `context`, also delivery to its nginx (sustained, then paced for end-to-end latency).
    func run(
        api: HooklineAPI, pid: Int32, wrk: WrkLoad, history: Int, appId: String, endpointId: String, context: PhaseContext?
    ) async throws -> Figures {
        let base = "/api/v1/app/\(appId)"
        Console.progress("history \(history): GET …/msg first page")
        let first = try await time(api, path: base + "/msg?limit=50")
        var iterator: String?
        for _ in 0..<9 {
            iterator = try await Self.iterator(api, path: base + "/msg?limit=50" + (iterator.map { "&iterator=\($0)" } ?? ""))
            guard iterator != nil else { throw BenchError.io("the seeded application has fewer than 10 pages of messages") }
        }
        Console.progress("history \(history): GET …/msg 10 pages deep")
        let deep = try await time(api, path: base + "/msg?limit=50&iterator=\(iterator ?? "")")
        Console.progress("history \(history): GET …/attempt/endpoint/{id}")
        let attempts = try await time(api, path: base + "/attempt/endpoint/\(endpointId)?limit=50")
        Console.progress("history \(history): GET /api/v1/status, every 20 ms")
        let status = try await time(api, path: "/api/v1/status", pace: .milliseconds(20))
        Console.progress("history \(history): ingest, wrk \(Int(ingestSeconds)) s")
        let ingestApp = try await api.createApplication(name: "history-ingest")
        let url = api.baseURL + "/api/v1/app/\(ingestApp)/msg"
        _ = try await wrk.run(.init(name: "history-\(history)-warmup", url: url, apiKey: api.apiKey, duration: .seconds(2), collectIDs: false))
        let ingest = try await wrk.run(
            .init(name: "history-\(history)-ingest", url: url, apiKey: api.apiKey, duration: .seconds(ingestSeconds), collectIDs: false))
        var sustained: SustainedPhase.Figures?
        var latency: LatencyPhase.Figures?
        if let context {
            let deliveringApp = try await context.makeApplication(name: "history-delivery", deliveringToNginx: true)
            sustained = try await SustainedPhase().run(context, applicationID: deliveringApp)
            latency = try await LatencyPhase().run(context, applicationID: deliveringApp)
        }
        return Figures(
            history: history, ingestPerSecond: ingest.result.ackedPerSecond, ingestP99Us: ingest.result.latency.p99Us,
            messagesFirstPage: first, messagesTenPagesDeep: deep, attemptsByEndpoint: attempts, status: status,
            sustained: sustained, latency: latency, rssMiB: ProcessMemory.read(pid: pid).map { Double($0.rssKib) / 1024 })
    }

    /// Times `requests` GETs of `path` one after another (after 20 untimed), each waiting `pace` after the last.
    private func time(_ api: HooklineAPI, path: String, pace: Duration = .zero) async throws -> Read {
        var histogram = Histogram<UInt64>.latency()
        for index in 0..<(requests + 20) {
            let started = ContinuousClock.now
            let response = try await api.client.execute(api.request(path: path), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 24)
            guard response.status == .ok else {
                throw BenchError.unexpectedResponse("GET \(path)", status: response.status.code, body: String(buffer: body))
            }
            if index >= 20 { histogram.record(started.duration(to: .now)) }
            if pace > .zero { try await Task.sleep(for: pace) }
        }
        return Read(count: requests, p50Us: histogram.valueAtPercentile(50), p99Us: histogram.valueAtPercentile(99), maxUs: histogram.max)
    }

    /// The `iterator` of the page at `path`, or nil when it is the last.
    private static func iterator(_ api: HooklineAPI, path: String) async throws -> String? {
        struct Page: Decodable {
            var iterator: String?
            var done: Bool
        }
        let response = try await api.client.execute(api.request(path: path), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 24)
        guard response.status == .ok, let page = try? JSONDecoder().decode(Page.self, from: Data(body.readableBytesView)) else {
            throw BenchError.unexpectedResponse("GET \(path)", status: response.status.code, body: String(buffer: body))
        }
        return page.done ? nil : page.iterator
    }
}
