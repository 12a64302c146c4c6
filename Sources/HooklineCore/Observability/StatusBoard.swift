import Foundation
import Synchronization

/// Computes the status report from its parts in parallel, each bounded by a timeout, and caches it.
///
/// A part that throws or is slower than `partTimeout` is reported as unavailable; the rest still
/// answer. Within `ttl` the cached report is returned; concurrent callers past it share one
/// computation (single-flight).
package final class StatusBoard<Clock: HooklineClock>: Sendable {
    /// How long a report is reused and how long a part may take.
    package struct Configuration: Sendable {
        /// How long a computed report is served from the cache.
        package var ttl: Duration
        /// How long one part may take before it is reported unavailable.
        package var partTimeout: Duration

        /// Creates a configuration; defaults: 1 s cache, 250 ms per part.
        package init(ttl: Duration = .seconds(1), partTimeout: Duration = .milliseconds(250)) {
            self.ttl = ttl
            self.partTimeout = partTimeout
        }
    }

    private struct State {
        var cached: StatusReport?
        var inFlight: Task<StatusReport, Never>?
        var computations = 0
    }

    private let configuration: Configuration
    private let parts: [StatusPart]
    private let clock: Clock
    private let state = Mutex(State())

    /// Creates a board over `parts`.
    package init(configuration: Configuration = .init(), parts: [StatusPart], clock: Clock) {
        self.configuration = configuration
        self.parts = parts
        self.clock = clock
    }

    /// How many times the report was computed (not served from the cache).
    package var computations: Int { state.withLock { $0.computations } }

    /// The current report: cached while fresh, otherwise computed once for all concurrent callers.
    package func report() async -> StatusReport {
        let now = clock.now()
        let task = state.withLock { state -> Task<StatusReport, Never> in
            if let inFlight = state.inFlight { return inFlight }
            if let cached = state.cached, now < cached.generatedAt.adding(configuration.ttl) {
                return Task { cached }
            }
            state.computations += 1
            let task = Task { await self.compute() }
            state.inFlight = task
            return task
        }
        return await task.value
    }

    private func compute() async -> StatusReport {
        let generatedAt = clock.now()
        var values: [String: JSONValue] = [:]
        await withTaskGroup(of: (String, JSONValue).self) { group in
            for part in parts {
                group.addTask { (part.name, await self.read(part)) }
            }
            for await (name, value) in group { values[name] = value }
        }
        let report = StatusReport(generatedAt: generatedAt, parts: values)
        state.withLock { state in
            state.cached = report
            state.inFlight = nil
        }
        return report
    }

    private func read(_ part: StatusPart) async -> JSONValue {
        let deadline = clock.now().adding(configuration.partTimeout)
        return await withTaskGroup(of: JSONValue?.self) { group in
            group.addTask {
                do {
                    return try await part.read()
                } catch {
                    return StatusReport.unavailable("\(error)")
                }
            }
            group.addTask {
                do {
                    try await self.clock.sleep(until: deadline)
                    return StatusReport.unavailable("timed out")
                } catch {
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? StatusReport.unavailable("cancelled")
        }
    }
}

/// One independently read part of the status report, e.g. the queue depth.
package struct StatusPart: Sendable {
    /// The key of the part in the report.
    package let name: String
    /// Reads the part's current value.
    package let read: @Sendable () async throws -> JSONValue

    /// Creates a part.
    package init(name: String, read: @escaping @Sendable () async throws -> JSONValue) {
        self.name = name
        self.read = read
    }
}

extension StatusPart {
    /// Hookline's status parts: activity, queue, deliveries (by outcome, with latency) and endpoint health.
    package static func standard<Store: HooklineStore, Clock: HooklineClock>(
        store: Store, clock: Clock, governor: EndpointGovernor?, window: Duration = .seconds(300)
    ) -> [StatusPart] {
        let deliveries = EventWindow()
        return [
            StatusPart(name: "activity") {
                async let message = store.latestEvent(kind: .messageCreated)
                async let success = store.latestEvent(kind: .deliverySucceeded)
                return .object([
                    "lastMessageAt": timestamp(try await message?.createdAt),
                    "lastSuccessfulDeliveryAt": timestamp(try await success?.createdAt),
                ])
            },
            StatusPart(name: "queue") {
                let depth = try await store.queueDepth(now: clock.now())
                return .object([
                    "due": .integer(Int64(depth.due)), "scheduled": .integer(Int64(depth.scheduled)), "inFlight": .integer(Int64(depth.inFlight)),
                ])
            },
            StatusPart(name: "deliveries") {
                let stats = try await deliveries.statistics(from: store, since: clock.now().adding(.zero - window))
                func count(_ kind: EventKind) -> JSONValue { .integer(Int64(stats.counts[kind] ?? 0)) }
                func latency(_ percentiles: EventStatistics.Percentiles?) -> JSONValue {
                    percentiles.map {
                        .object(["count": .integer(Int64($0.count)), "p50": .integer($0.p50), "p95": .integer($0.p95), "p99": .integer($0.p99)])
                    } ?? .null
                }
                return .object([
                    "windowSeconds": .integer(Int64(window.timeInterval)), "attempts": count(.attemptMade),
                    "succeeded": count(.deliverySucceeded), "retrying": count(.deliveryFailed), "exhausted": count(.deliveryExhausted),
                    "canceled": count(.deliveryCanceled), "firstAttemptLatencyMs": latency(stats.firstAttemptMs),
                    "timeToSuccessMs": latency(stats.timeToSuccessMs),
                ])
            },
            StatusPart(name: "endpoints") {
                let disabled = try await store.disabledEndpoints(limit: 100)
                var circuits: [JSONValue] = []
                for (id, state) in (governor?.unhealthyCircuits() ?? [:]).sorted(by: { $0.key < $1.key }) {
                    switch state {
                    case .open(let until): circuits.append(.object(["endpointId": .string(id), "state": .string("open"), "until": timestamp(until)]))
                    case .halfOpen: circuits.append(.object(["endpointId": .string(id), "state": .string("half-open")]))
                    case .closed: break
                    }
                }
                return .object([
                    "circuits": .array(circuits),
                    "disabled": .array(disabled.map { .object(["endpointId": .string($0.id), "appId": .string($0.appId), "url": .string($0.url)]) }),
                ])
            },
        ]
    }

    /// An ISO 8601 text value, or `null`.
    static func timestamp(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}

/// A computed status report: each part's value, or why it is unavailable.
package struct StatusReport: Sendable, Equatable {
    /// When it was computed.
    package var generatedAt: Date
    /// Each part's value by name; an unavailable part is `{"unavailable": true, "reason": …}`.
    package var parts: [String: JSONValue]

    /// Creates a report.
    package init(generatedAt: Date, parts: [String: JSONValue]) {
        self.generatedAt = generatedAt
        self.parts = parts
    }

    /// The value standing for a part that failed or was too slow.
    package static func unavailable(_ reason: String) -> JSONValue {
        .object(["unavailable": .bool(true), "reason": .string(reason)])
    }
}
