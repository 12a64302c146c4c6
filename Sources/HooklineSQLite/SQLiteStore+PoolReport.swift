import GRDB
import HooklineCore

extension SQLiteStore: StorePoolReporting {
    /// Samples GRDB's queues at each scrape: how long the writer, and then a reader, took to become free for one
    /// operation, as a write or a read of the store would have waited at that moment.
    ///
    /// SQLite has one writer connection (every write waits in its queue) and a few readers; GRDB does not say how
    /// many operations wait in its queues, so only these sampled waits and each role's maximum are reported.
    public func reportPool() async {
        let writer = StorePoolMeter(store: "sqlite", role: "writer", maximum: 1, counted: false)
        let reader = StorePoolMeter(store: "sqlite", role: "reader", maximum: pool.configuration.maximumReaderCount, counted: false)
        let writeStarted = ContinuousClock.now
        if let waited = try? await pool.writeWithoutTransaction({ _ in ContinuousClock.now - writeStarted }) {
            writer.recordAcquire(waited)
        }
        let readStarted = ContinuousClock.now
        if let waited = try? await pool.read({ _ in ContinuousClock.now - readStarted }) {
            reader.recordAcquire(waited)
        }
        writer.report()
        reader.report()
    }
}
