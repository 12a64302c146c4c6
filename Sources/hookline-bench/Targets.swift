/// Issue 12's performance targets, which the table prints each figure against.
enum Targets {
    /// Phase 1: Hookline's ingest req/s ÷ the Hummingbird responder's, at least.
    static let ingestRatioToHummingbird = 0.75
    /// Phase 2: deliveries per second draining a due backlog, at least.
    static let drainPerSecond = 20_000.0
    /// Phase 2: Hookline CPU per delivery, µs, at most.
    static let cpuUsPerDelivery = 50.0
    /// Phase 3: delivered ÷ accepted, at least…
    static let sustainedRatio = 0.9
    /// … while accepting at least this many messages per second.
    static let sustainedAcceptedPerSecond = 10_000.0
    /// Phase 4: ingest acknowledgement p99, ms, at most.
    static let ackP99Ms = 5.0
    /// Phase 4: end-to-end p50, ms, at most.
    static let endToEndP50Ms = 2.0
    /// Phase 4: end-to-end p99, ms, at most.
    static let endToEndP99Ms = 10.0
    /// Phase 5: idle RSS, MiB, at most.
    static let idleRssMib = 40.0
    /// Phase 7: the healthy endpoint's end-to-end p99, ms, at most.
    static let isolationP99Ms = 50.0
}
