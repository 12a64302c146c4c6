import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Judges whether a node is fit for traffic (store answers, deliveries move, disk room, schema current) and
/// exports the same conditions as gauges, sampled at an interval.
package struct HealthCheck<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// Thresholds and sampling.
    package struct Configuration: Sendable {
        /// How long a delivery may be due with no attempt started before the node counts as stalled; default 60 s.
        package var stallAfter: Duration
        /// The least room the store must have left (bytes); default 256 MiB.
        package var minFreeSpace: Int64
        /// How long a store query may take before the store counts as unreachable; default 5 s.
        package var storeTimeout: Duration
        /// How often the gauges are refreshed; default 5 s.
        package var interval: Duration

        /// Creates a configuration with the documented defaults.
        package init(
            stallAfter: Duration = .seconds(60), minFreeSpace: Int64 = 256 << 20, storeTimeout: Duration = .seconds(5),
            interval: Duration = .seconds(5)
        ) {
            self.stallAfter = stallAfter
            self.minFreeSpace = minFreeSpace
            self.storeTimeout = storeTimeout
            self.interval = interval
        }
    }

    let configuration: Configuration
    let store: Store
    let clock: Clock
    let activity: EngineActivity
    let logger: Logger
    let gauges = HealthGauges()

    /// Creates a check over `store` and the engine's `activity`.
    package init(configuration: Configuration, store: Store, clock: Clock, activity: EngineActivity, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.activity = activity
        self.logger = logger
    }

    /// Measures now and returns the verdict (also refreshing the gauges).
    package func evaluate() async -> HealthReport {
        let now = clock.now()
        let facts = await measure()
        let report = facts.verdict(now: now, stallAfter: configuration.stallAfter, minFreeSpace: configuration.minFreeSpace)
        gauges.record(report, facts: facts, now: now)
        return report
    }

    /// Refreshes the gauges until shutdown, logging each change of verdict.
    package func run() async {
        await cancelWhenGracefulShutdown {
            var wasOK = true
            while !Task.isCancelled {
                let now = clock.now()
                let report = await evaluate()
                if report.ok != wasOK {
                    let reasons = report.checks.filter { !$0.ok }.compactMap(\.reason).joined(separator: "; ")
                    if report.ok { logger.notice("health recovered") } else { logger.error("health failing", metadata: ["reasons": "\(reasons)"]) }
                    wasOK = report.ok
                }
                try? await clock.sleep(until: now.adding(configuration.interval))
            }
        }
    }

    private func measure() async -> HealthFacts {
        var facts = HealthFacts(engineProgress: activity.lastProgress)
        let probe = store as? any StoreHealthProbe
        do {
            let answer = try await withDeadline(configuration.storeTimeout) { [store] in
                (try await store.nextDueTime(), try await probe?.freeSpace(), try await probe?.pendingMigrations() ?? [])
            }
            facts.oldestDue = answer.0
            facts.freeSpace = answer.1
            facts.pendingMigrations = answer.2
        } catch {
            facts.storeError = (error as? HooklineError)?.message ?? String(describing: type(of: error))
        }
        return facts
    }

    /// Runs `body`, failing with `unavailable` if it takes longer than `limit`.
    private func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask { [clock] in
                try await clock.sleep(until: clock.now().adding(limit))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw HooklineError(.unavailable, "the store did not answer within \(Int(limit.timeInterval))s")
            }
            return value
        }
    }
}

/// The readiness conditions as Prometheus gauges.
struct HealthGauges: Sendable {
    let store = Gauge(label: "hookline_health_check", dimensions: [("check", "store")])
    let deliveries = Gauge(label: "hookline_health_check", dimensions: [("check", "deliveries")])
    let disk = Gauge(label: "hookline_health_check", dimensions: [("check", "disk")])
    let migrations = Gauge(label: "hookline_health_check", dimensions: [("check", "migrations")])
    let ready = Gauge(label: "hookline_ready")
    let oldestDueAge = Gauge(label: "hookline_oldest_due_age_seconds")
    let engineIdle = Gauge(label: "hookline_engine_idle_seconds")
    let freeSpace = Gauge(label: "hookline_storage_free_bytes")
    let pendingMigrations = Gauge(label: "hookline_pending_migrations")

    /// Sets every gauge from one verdict and its facts.
    func record(_ report: HealthReport, facts: HealthFacts, now: Date) {
        let byName = Dictionary(report.checks.map { ($0.name, $0.ok) }, uniquingKeysWith: { first, _ in first })
        for (name, gauge) in [("store", store), ("deliveries", deliveries), ("disk", disk), ("migrations", migrations)] {
            gauge.record(byName[name] == false ? 0 : 1)
        }
        ready.record(report.ok ? 1 : 0)
        oldestDueAge.record(facts.oldestDue.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        engineIdle.record(facts.engineProgress.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        if let space = facts.freeSpace { freeSpace.record(Double(space)) }
        pendingMigrations.record(Double(facts.pendingMigrations.count))
    }
}

/// What a store can tell the readiness check beyond answering queries: room left and schema state.
package protocol StoreHealthProbe: Sendable {
    /// Bytes the store can still grow by before writes fail (disk free, or a configured cap); `nil` when it cannot tell.
    func freeSpace() async throws -> Int64?
    /// Names of the migrations this build knows that the database has not applied.
    func pendingMigrations() async throws -> [String]
}
