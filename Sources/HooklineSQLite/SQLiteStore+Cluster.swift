import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Takes or renews `lease` when it is free, lapsed or already held by its holder.
    public func acquireLease(_ lease: ClusterLease) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO cluster_lease (name, holder, until) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
                    WHERE cluster_lease.holder = excluded.holder OR cluster_lease.until <= ?
                    """,
                arguments: [lease.name, lease.holder, lease.until.millisecondsSince1970, lease.now.millisecondsSince1970])
            return db.changesCount > 0
        }
    }
}
