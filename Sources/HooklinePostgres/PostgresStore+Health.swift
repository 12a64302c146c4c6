import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore: StoreHealthProbe {
    /// The database server's disk is not visible from a node: `nil` (operators watch it with PostgreSQL's own tools).
    public func freeSpace() async throws -> Int64? { nil }

    /// Migrations of this build not yet applied to the database.
    public func pendingMigrations() async throws -> [String] {
        let applied = try await appliedMigrationVersions()
        return PostgresMigrations.all.filter { !applied.contains($0.version) }.map { "v\($0.version)-\($0.name)" }
    }

    /// Versions applied to the database that this build does not know: a newer Hookline migrated it.
    public func unknownMigrationVersions() async throws -> [Int] {
        let known = Set(PostgresMigrations.all.map(\.version))
        return try await appliedMigrationVersions().filter { !known.contains($0) }.sorted()
    }

    private func appliedMigrationVersions() async throws -> Set<Int> {
        try await reading { session in
            let exists = try await session.value("SELECT to_regclass('hookline_migration') IS NOT NULL", as: Bool.self) ?? false
            guard exists else { return [] }
            return Set(try await session.rows("SELECT version FROM hookline_migration").map { try $0.get("version", as: Int.self) })
        }
    }
}
