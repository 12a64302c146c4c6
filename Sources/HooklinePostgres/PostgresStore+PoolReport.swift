import HooklineCore

extension PostgresStore: StorePoolReporting {
    /// Writes the pool's connections in use and waiting operations on `/metrics`; every wait is recorded as it ends.
    public func reportPool() async { pool.meter.report() }
}
