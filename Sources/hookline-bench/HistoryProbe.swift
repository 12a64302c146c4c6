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

    /// The list reads and status of one history, measured alternating with the other's (see `reads(on:)`).
    struct Reads: Sendable {
        var messagesFirstPage: Read
        var messagesTenPagesDeep: Read
        var attemptsByEndpoint: Read
        var status: Read
    }

    /// A running Hookline over one history: its API and its seeded application and endpoint.
    struct Target: Sendable {
        var api: HooklineAPI
        var appId: String
        var endpointId: String
    }

    /// Sequential requests per read and history (status: paced, see `Figures.status`).
    var requests: Int
    /// wrk's measured seconds for ingest (after a 2 s warm-up).
    var ingestSeconds: Double
    /// Blocks each read is split into, alternating between the histories so that both see the same moments of
    /// the machine: sub-millisecond reads measured one history after the other moved ±20% between runs.
    var rounds = 6

    /// Times the four reads on every target, each read in `rounds` blocks that alternate between the targets
    /// (the order reversed every round); returns one `Reads` per target.
    func reads(on targets: [Target]) async throws -> [Reads] {
        var deep: [String] = []
        for target in targets {
            let base = "/api/v1/app/\(target.appId)/msg?limit=50"
            var iterator: String?
            for _ in 0..<9 {
                iterator = try await Self.iterator(target.api, path: base + (iterator.map { "&iterator=\($0)" } ?? ""))
                guard iterator != nil else { throw BenchError.io("the seeded application has fewer than 10 pages of messages") }
            }
            deep.append(base + "&iterator=\(iterator ?? "")")
        }
        Console.progress("history reads: GET …/msg first page, alternating")
        let first = try await alternate(targets, paths: targets.map { "/api/v1/app/\($0.appId)/msg?limit=50" })
        Console.progress("history reads: GET …/msg 10 pages deep, alternating")
        let tenDeep = try await alternate(targets, paths: deep)
        Console.progress("history reads: GET …/attempt/endpoint/{id}, alternating")
        let attempts = try await alternate(targets, paths: targets.map { "/api/v1/app/\($0.appId)/attempt/endpoint/\($0.endpointId)?limit=50" })
        Console.progress("history reads: GET /api/v1/status every 20 ms, alternating")
        let status = try await alternate(targets, paths: targets.map { _ in "/api/v1/status" }, pace: .milliseconds(20))
        return targets.indices.map {
            Reads(messagesFirstPage: first[$0], messagesTenPagesDeep: tenDeep[$0], attemptsByEndpoint: attempts[$0], status: status[$0])
        }
    }

    /// Measures ingest on the server behind `api`, and with `context` delivery to its nginx (sustained, then
    /// paced for end-to-end latency); `reads` are its list reads, measured before.
    func load(api: HooklineAPI, pid: Int32, wrk: WrkLoad, history: Int, reads: Reads, context: PhaseContext?, run: Int) async throws -> Figures {
        Console.progress("history \(history), run \(run): ingest, wrk \(Int(ingestSeconds)) s")
        let ingestApp = try await api.createApplication(name: "history-ingest-\(run)")
        let url = api.baseURL + "/api/v1/app/\(ingestApp)/msg"
        _ = try await wrk.run(
            .init(name: "history-\(history)-\(run)-warmup", url: url, apiKey: api.apiKey, duration: .seconds(2), collectIDs: false))
        let ingest = try await wrk.run(
            .init(name: "history-\(history)-\(run)-ingest", url: url, apiKey: api.apiKey, duration: .seconds(ingestSeconds), collectIDs: false))
        var sustained: SustainedPhase.Figures?
        var latency: LatencyPhase.Figures?
        if let context {
            let deliveringApp = try await context.makeApplication(name: "history-delivery-\(run)", deliveringToNginx: true)
            sustained = try await SustainedPhase().run(context, applicationID: deliveringApp)
            latency = try await LatencyPhase().run(context, applicationID: deliveringApp)
        }
        return Figures(
            history: history, ingestPerSecond: ingest.result.ackedPerSecond, ingestP99Us: ingest.result.latency.p99Us,
            messagesFirstPage: reads.messagesFirstPage, messagesTenPagesDeep: reads.messagesTenPagesDeep,
            attemptsByEndpoint: reads.attemptsByEndpoint, status: reads.status, sustained: sustained, latency: latency,
            rssMiB: ProcessMemory.read(pid: pid).map { Double($0.rssKib) / 1024 })
    }

    /// Times `requests` GETs of `paths[i]` on `targets[i]`, one after another, in `rounds` blocks that alternate
    /// between the targets (each block after 4 untimed requests), each waiting `pace` after the last.
    private func alternate(_ targets: [Target], paths: [String], pace: Duration = .zero) async throws -> [Read] {
        var histograms = targets.map { _ in Histogram<UInt64>.latency() }
        let perRound = max(1, requests / rounds)
        for round in 0..<rounds {
            let order = round.isMultiple(of: 2) ? Array(targets.indices) : targets.indices.reversed()
            for index in order {
                let target = targets[index]
                let path = paths[index]
                for request in 0..<(perRound + 4) {
                    let started = ContinuousClock.now
                    let response = try await target.api.client.execute(target.api.request(path: path), timeout: .seconds(30))
                    let body = try await response.body.collect(upTo: 1 << 24)
                    guard response.status == .ok else {
                        throw BenchError.unexpectedResponse("GET \(path)", status: response.status.code, body: String(buffer: body))
                    }
                    if request >= 4 { histograms[index].record(started.duration(to: .now)) }
                    if pace > .zero { try await Task.sleep(for: pace) }
                }
            }
        }
        return histograms.map {
            Read(count: Int($0.totalCount), p50Us: $0.valueAtPercentile(50), p99Us: $0.valueAtPercentile(99), maxUs: $0.max)
        }
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
