import Foundation
import Histogram

/// Phase 7: isolation under backlog. One application, two endpoints split by event type: one points at
/// a ``HangingListener`` (connections accepted, never answered) and gets `isolationHung` messages; then
/// `isolationHealthy` messages, `isolationIntervalMs` apart, go to the other, on nginx. The healthy
/// endpoint's end-to-end latency shows whether the hung backlog holds it up.
///
/// Messages are sent with the bench's own client (the rate is low, so its cost does not matter); send
/// times are wall-clock µs, arrivals nginx's ms-truncated log (+0.5 ms).
struct IsolationPhase {
    /// The phase's figures.
    struct Figures: Codable, Sendable {
        /// Messages queued for the hanging endpoint.
        var hungQueued: Int
        /// Messages sent to the healthy endpoint.
        var healthySent: Int
        /// Of those, arrived.
        var healthyDelivered: Int
        /// Send → arrival of the healthy endpoint's messages (target p99 ≤ 50 ms).
        var endToEnd: LatencySummary
    }

    /// Runs the phase, then deletes the hanging endpoint and closes the listener.
    func run(_ context: PhaseContext) async throws -> Figures {
        let plan = context.plan
        let api = context.hookline
        let listener = try HangingListener()
        defer { listener.close() }
        let applicationID = try await api.createApplication(name: "bench-isolation")
        let hungEndpoint = try await api.createEndpoint(applicationID: applicationID, url: listener.url, eventTypes: ["bench.hang"])
        _ = try await api.createEndpoint(applicationID: applicationID, url: context.nginx.webhookURL, eventTypes: ["bench.ok"])

        Console.progress("7. isolation: \(plan.isolationHung) messages for a hanging endpoint")
        let hung = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var sent = 0
                    for number in stride(from: worker, to: plan.isolationHung, by: 8) {
                        _ = try await api.sendMessage(applicationID: applicationID, eventType: "bench.hang", number: number)
                        sent += 1
                    }
                    return sent
                }
            }
            return try await group.reduce(0, +)
        }
        try? await Task.sleep(for: .milliseconds(500))

        Console.progress("7. isolation: \(plan.isolationHealthy) messages to a healthy endpoint, \(plan.isolationIntervalMs) ms apart")
        let clock = ContinuousClock()
        let start = clock.now
        let sent = try await withThrowingTaskGroup(of: (String, Double).self) { group in
            for number in 0..<plan.isolationHealthy {
                try? await clock.sleep(until: start + .milliseconds(plan.isolationIntervalMs * number))
                group.addTask {
                    let sentAt = Date().timeIntervalSince1970
                    return (try await api.sendMessage(applicationID: applicationID, eventType: "bench.ok", number: number), sentAt)
                }
            }
            return try await group.reduce(into: [(String, Double)]()) { $0.append($1) }
        }
        context.recordHookline(count: hung + sent.count, delivered: sent.map(\.0))
        _ = await context.arrivals.waitFor(sent.map(\.0), timeout: .seconds(10))

        var histogram = Histogram<UInt64>.latency()
        var delivered = 0
        for (id, sentAt) in sent {
            guard let arrival = context.arrivals.firstArrival[id] else { continue }
            delivered += 1
            histogram.record(.microseconds(max(Int64(((arrival - sentAt) * 1e6).rounded()) + 500, 1)))
        }
        try? await api.deleteEndpoint(applicationID: applicationID, endpointID: hungEndpoint)
        return Figures(hungQueued: hung, healthySent: sent.count, healthyDelivered: delivered, endToEnd: LatencySummary(histogram))
    }
}
