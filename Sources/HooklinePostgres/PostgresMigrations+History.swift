extension PostgresMigrations {
    /// v12: retention's attempt sweep finds only attempts whose response body is still there.
    ///
    /// `attempt_unpurged` replaces `attempt_created`: the sweep's range over all attempts older than the cutoff
    /// grew with every purged attempt, while this partial index holds only those it may still purge (same
    /// write cost per attempt).
    static let historyIndexes = Migration(
        version: 12, name: "v12-history-indexes",
        statements: [
            "CREATE INDEX attempt_unpurged ON attempt(created_at) WHERE response <> ''",
            "DROP INDEX attempt_created",
        ])
}
