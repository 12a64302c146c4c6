import Foundation

extension StatusPart {
    /// Hookline's status parts: activity, queue, deliveries (by outcome, with latency) and endpoint health.
    public static func standard<Store: HooklineStore, Clock: HooklineClock>(
        store: Store, clock: Clock, governor: EndpointGovernor?, window: Duration = .seconds(300)
    ) -> [StatusPart] {
        [
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
                let stats = try await store.eventStatistics(since: clock.now().adding(.zero - window))
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
