import Metrics
import Synchronization

/// A store whose connection pool `/metrics` reports; called at each scrape, before the text is written.
package protocol StorePoolReporting: Sendable {
    /// Brings the pool's gauges up to date (and, where the pool can only be sampled, takes one sample).
    func reportPool() async
}

/// One connection pool on `/metrics`, labelled `store` and `role`: connections in use, operations waiting for one,
/// the configured maximum, and how long each operation waited for its connection.
///
/// Families: `hookline_store_pool_connections_in_use`, `hookline_store_pool_waiters`,
/// `hookline_store_pool_connections_max` (gauges) and `hookline_store_pool_acquire_seconds` (a histogram).
/// The gauges follow counters kept here and are written at each scrape (`report()`), so they never lag.
package final class StorePoolMeter: Sendable {
    private let counts = Mutex<(inUse: Int, waiters: Int)>((0, 0))
    private let inUseGauge: Gauge?
    private let waitersGauge: Gauge?
    private let maximumGauge: Gauge
    private let acquireTimer: Timer
    private let maximum: Int

    /// Creates the handles for the pool `role` of `store` (e.g. `postgres`/`connection`, `sqlite`/`writer`) holding at
    /// most `maximum` connections; a pool whose use is only sampled (`counted` false) has no in-use and waiter gauges.
    package init(store: String, role: String, maximum: Int, counted: Bool = true) {
        let dimensions = [("store", store), ("role", role)]
        inUseGauge = counted ? Gauge(label: "hookline_store_pool_connections_in_use", dimensions: dimensions) : nil
        waitersGauge = counted ? Gauge(label: "hookline_store_pool_waiters", dimensions: dimensions) : nil
        maximumGauge = Gauge(label: "hookline_store_pool_connections_max", dimensions: dimensions)
        acquireTimer = Timer(label: "hookline_store_pool_acquire_seconds", dimensions: dimensions)
        self.maximum = maximum
    }

    /// Connections in use and operations waiting now.
    package var current: (inUse: Int, waiters: Int) { counts.withLock { $0 } }

    /// Starts counting one operation that waits for a connection; end it with the lease's methods.
    package func lease() -> Lease { Lease(meter: self) }

    /// Records one measured wait for a connection (pools that are sampled rather than counted).
    package func recordAcquire(_ waited: Duration) {
        acquireTimer.recordNanoseconds(Int64(waited.components.seconds) * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
    }

    /// Writes the current counts on the gauges.
    package func report() {
        let now = current
        inUseGauge?.record(now.inUse)
        waitersGauge?.record(now.waiters)
        maximumGauge.record(maximum)
    }

    fileprivate func change(inUse: Int = 0, waiters: Int = 0) {
        counts.withLock { $0 = ($0.inUse + inUse, $0.waiters + waiters) }
    }

    /// One operation's way through the pool: waiting, then holding a connection, then done (or giving up while waiting).
    package final class Lease: Sendable {
        private enum Stage { case waiting, holding, done }
        private let meter: StorePoolMeter
        private let stage = Mutex(Stage.waiting)
        private let started = ContinuousClock.now

        fileprivate init(meter: StorePoolMeter) {
            self.meter = meter
            meter.change(waiters: 1)
        }

        /// The operation got its connection: it stops waiting, holds one, and its wait is recorded.
        package func acquired() {
            let moved = stage.withLock { stage in
                guard stage == .waiting else { return false }
                stage = .holding
                return true
            }
            guard moved else { return }
            meter.change(inUse: 1, waiters: -1)
            meter.recordAcquire(ContinuousClock.now - started)
        }

        /// The operation released its connection.
        package func released() { finish(from: .holding) }

        /// The caller stopped waiting for the operation; counted only if it never got a connection (one that runs on
        /// after its caller gave up still holds it until `released()`). Later calls do nothing.
        package func gaveUp() { finish(from: .waiting) }

        private func finish(from expected: Stage) {
            let moved = stage.withLock { stage in
                guard stage == expected else { return false }
                stage = .done
                return true
            }
            guard moved else { return }
            if expected == .waiting { meter.change(waiters: -1) } else { meter.change(inUse: -1) }
        }
    }
}

/// A wait inside the store that `/metrics` reports as a histogram (e.g. PostgreSQL's event-order lock).
package struct StoreWaitTimer: Sendable {
    private let timer: Timer

    /// Creates the handle `label` on the bootstrapped metrics backend.
    package init(label: String) { timer = Timer(label: label) }

    /// Records one wait.
    package func record(_ waited: Duration) {
        timer.recordNanoseconds(Int64(waited.components.seconds) * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
    }
}
