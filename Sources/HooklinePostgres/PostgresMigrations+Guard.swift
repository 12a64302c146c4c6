import HooklineCore

extension PostgresMigrations {
    /// Throws when the database carries versions this build does not know: a newer Hookline migrated it, and
    /// running older code on it could corrupt data (nodes of a cluster are upgraded, never downgraded).
    static func refuseNewerSchema(applied: Set<Int>) throws {
        let unknown = applied.filter { $0 > latestVersion }.sorted()
        guard unknown.isEmpty else {
            throw HooklineError(
                .conflict,
                "the database schema (version \(unknown.last!)) is newer than this Hookline \(HooklineVersion.current) understands "
                    + "(up to \(latestVersion)); run the Hookline version that migrated it, or restore a backup taken before the upgrade")
        }
    }
}
