import AsyncHTTPClient
import Foundation

/// Sustained load spread over the nodes of one store: wrk flat out against each node at once (its share of the
/// connections), every message to one application whose endpoint is nginx; then what arrived, from whom, and when.
struct SpreadLoad {
    /// One node the load goes to.
    struct Node: Sendable {
        /// Its API.
        var api: HooklineAPI
        /// Its process, for CPU.
        var pid: Int32
    }

    /// What one configuration sustained.
    struct Figures: Codable, Sendable {
        /// `sqlite`, `postgres`, `postgres ×2`.
        var label: String
        /// Nodes sharing the load.
        var nodes: Int
        /// Length of the load window, seconds.
        var seconds: Double
        /// Messages acknowledged (202) in the window.
        var accepted: Int
        /// Acknowledged per second of the window.
        var acceptedPerSecond: Double
        /// Arrivals at nginx per second within the window.
        var deliveredInWindowPerSecond: Double
        /// Acknowledged ÷ (time from the start of the load to the arrival of the last of them): ingest and delivery together.
        var sustainedPerSecond: Double
        /// wrk's ingest p99 (the slowest node's), ms.
        var ackP99Ms: Double
        /// Non-2xx answers.
        var non2xx: Int
        /// Acknowledged but never delivered within the drain timeout.
        var lost: Int
        /// Deliveries of a message that had already arrived.
        var duplicates: Int
        /// Successful deliveries each node made (its `hookline_delivery_outcomes_total{outcome="succeeded"}`).
        var deliveredByNode: [Int]
        /// Each node's share of the deliveries.
        var shareByNode: [Double]
        /// Each node's CPU per accepted message (its own acknowledgements), µs.
        var cpuUsPerMessage: [Double]
        /// Event-order lock acquisitions on all nodes (PostgreSQL).
        var lockAcquisitions: Int?
        /// Mean time of the statement taking the event-order lock (wait plus one round trip; plus the event insert on
        /// nodes that take it in the insert's statement), ms.
        var lockMeanMs: Double?
        /// Bucket bound of the p99 time to take it, ms.
        var lockP99Ms: Double?
        /// Total time spent taking the lock, summed over nodes, as a share of the window (may exceed 1 with several sessions).
        var lockTimeShare: Double?
        /// Pool acquisitions (all nodes) and their mean wait, ms.
        var poolAcquisitions: Int?
        /// See `poolAcquisitions`.
        var poolMeanMs: Double?
        /// Bucket bound of the p99 pool wait, ms.
        var poolP99Ms: Double?
        /// What sampling `pg_stat_activity` saw (PostgreSQL).
        var activity: LockWaitSampler.Figures?
    }

    /// wrk's binary and script, and where its files go.
    var wrk: WrkLoad
    /// nginx's delivery log.
    var arrivals: ArrivalLog
    /// Longest wait for the last deliveries.
    var drainTimeout: Duration

    /// Runs `seconds` of load over `nodes` (warming each up first on an application without endpoints).
    func run(label: String, nodes: [Node], endpointURL: String, seconds: Double, sampler: LockWaitSampler?) async throws -> Figures {
        let setup = nodes[0].api
        let quiet = try await setup.createApplication(name: "\(label)-warmup")
        let appId = try await setup.createApplication(name: label)
        _ = try await setup.createEndpoint(applicationID: appId, url: endpointURL)
        Console.progress("\(label): warming up")
        _ = try await load(nodes: nodes, appId: quiet, name: "\(label)-warmup", seconds: 2)

        Console.progress("\(label): \(Int(seconds)) s of load over \(nodes.count) node(s)")
        let before = try await scrapes(nodes)
        let cpuBefore = nodes.map { PhaseContext.cpuSeconds(of: $0.pid) ?? 0 }
        let sampling = sampler.map { sampler in Task { await sampler.run() } }
        let outcomes = try await load(nodes: nodes, appId: appId, name: label, seconds: seconds)
        sampling?.cancel()
        let activity = await Self.value(of: sampling, within: .seconds(10))
        let cpuAfter = nodes.map { PhaseContext.cpuSeconds(of: $0.pid) ?? 0 }
        try? await Task.sleep(for: .milliseconds(400))
        arrivals.refresh()
        let started = outcomes.map(\.started).min() ?? 0
        let window = outcomes.map { $0.started + $0.result.seconds }.max() ?? started
        let ids = outcomes.flatMap { $0.acknowledged.map(\.id) }
        let deliveredInWindow = arrivals.count(from: started, to: window)
        Console.progress("\(label): waiting for \(ids.count) deliveries")
        let missing = await arrivals.waitFor(ids, timeout: drainTimeout)
        let last = ids.compactMap { arrivals.firstArrival[$0] }.max() ?? window
        let after = try await scrapes(nodes)
        let succeeded = #"hookline_delivery_outcomes_total{outcome="succeeded"}"#
        let byNode = zip(after, before).map { Int($0.delta(succeeded, since: $1)) }
        let total = max(1, byNode.reduce(0, +))
        // Nodes that take the lock in a statement of its own time that statement; later ones time the one statement
        // that takes it and appends the events.
        let lock =
            Self.histogram("hookline_store_event_lock_wait_seconds", after: after, before: before)
            ?? Self.histogram("hookline_store_event_append_seconds", after: after, before: before)
        let pool = Self.histogram(
            "hookline_store_pool_acquire_seconds", labels: #"{store="postgres",role="connection"}"#, after: after, before: before)
        let span = window - started
        return Figures(
            label: label, nodes: nodes.count, seconds: span,
            accepted: ids.count,
            acceptedPerSecond: span > 0 ? Double(ids.count) / span : 0,
            deliveredInWindowPerSecond: span > 0 ? Double(deliveredInWindow) / span : 0,
            sustainedPerSecond: last > started ? Double(ids.count - missing.count) / (last - started) : 0,
            ackP99Ms: Double(outcomes.map(\.result.latency.p99Us).max() ?? 0) / 1000,
            non2xx: outcomes.map(\.result.non2xx).reduce(0, +),
            lost: missing.count,
            duplicates: ids.reduce(0) { $0 + max(0, (arrivals.counts[$1] ?? 0) - 1) },
            deliveredByNode: byNode,
            shareByNode: byNode.map { Double($0) / Double(total) },
            cpuUsPerMessage: zip(zip(cpuAfter, cpuBefore), outcomes).map { cpu, outcome in
                outcome.result.acked > 0 ? (cpu.0 - cpu.1) * 1e6 / Double(outcome.result.acked) : 0
            },
            lockAcquisitions: lock.map { Int($0.count) }, lockMeanMs: lock?.mean.map { $0 * 1000 }, lockP99Ms: lock?.p99.map { $0 * 1000 },
            lockTimeShare: lock.map { span > 0 ? $0.sum / span : 0 },
            poolAcquisitions: pool.map { Int($0.count) }, poolMeanMs: pool?.mean.map { $0 * 1000 }, poolP99Ms: pool?.p99.map { $0 * 1000 },
            activity: activity)
    }

    /// Runs wrk against every node at once, each with its share of the connections.
    private func load(nodes: [Node], appId: String, name: String, seconds: Double) async throws -> [WrkLoad.Outcome] {
        var divided = wrk
        divided.threads = max(1, wrk.threads / nodes.count)
        divided.connections = max(1, wrk.connections / nodes.count)
        let share = divided
        return try await withThrowingTaskGroup(of: (Int, WrkLoad.Outcome).self) { group in
            for (index, node) in nodes.enumerated() {
                group.addTask {
                    let run = WrkLoad.Run(
                        name: "\(name)-\(index)".replacingOccurrences(of: " ", with: "-"),
                        url: node.api.baseURL + "/api/v1/app/\(appId)/msg", apiKey: node.api.apiKey, duration: .seconds(seconds))
                    return (index, try await share.run(run))
                }
            }
            var outcomes: [(Int, WrkLoad.Outcome)] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The sampler's figures, or nil when it does not stop within `limit` (one run on a machine at load 20 never
    /// returned from it; the run goes on without its figures rather than hang).
    private static func value(of sampling: Task<LockWaitSampler.Figures?, Never>?, within limit: Duration) async -> LockWaitSampler.Figures? {
        guard let sampling else { return nil }
        // Not a task group: it would wait for a child still awaiting a hung sampler.
        let (first, answer) = AsyncStream.makeStream(of: LockWaitSampler.Figures?.self)
        Task {
            answer.yield(await sampling.value)
            answer.finish()
        }
        Task {
            try? await Task.sleep(for: limit)
            answer.yield(nil)
            answer.finish()
        }
        for await figures in first { return figures }
        return nil
    }

    private func scrapes(_ nodes: [Node]) async throws -> [MetricsScrape] {
        var result: [MetricsScrape] = []
        for node in nodes { result.append(try await MetricsScrape.take(node.api)) }
        return result
    }

    /// A histogram summed over the nodes since `before`: count, sum, mean and p99 (bucket bound), seconds; nil when nothing was observed.
    static func histogram(
        _ name: String, labels: String = "", after: [MetricsScrape], before: [MetricsScrape]
    ) -> (count: Double, sum: Double, mean: Double?, p99: Double?)? {
        var merged = MetricsScrape(text: "")
        var earlier = MetricsScrape(text: "")
        for (late, early) in zip(after, before) {
            for (key, value) in late.samples where key.hasPrefix(name) { merged.samples[key, default: 0] += value }
            for (key, value) in early.samples where key.hasPrefix(name) { earlier.samples[key, default: 0] += value }
        }
        let (count, mean) = merged.mean(name, labels: labels, since: earlier)
        guard count > 0 else { return nil }
        let sum = merged.delta("\(name)_sum\(labels)", since: earlier)
        return (count, sum, mean, merged.quantile(0.99, name, labels: labels, since: earlier))
    }
}
