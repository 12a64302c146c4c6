import Foundation
import HooklineCore
import HooklinePostgres
import HooklineTesting
import Testing

@testable import HooklineSQLite

@Suite(.timeLimit(.minutes(3))) struct SchemaUpgradeTests {
    static let legacyApp = """
        INSERT INTO application (id, uid, name, metadata, throttle_rate, created_at, updated_at)
        VALUES ('app_2legacy0000000000000000000', 'legacy', 'Legacy', '{"tier":"gold"}', NULL, 1700000000000, 1700000000000)
        """

    @Test func aFirstVersionDatabaseRunsThroughEveryMigrationWithItsData() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        try SQLiteMigrations.makeFile(atPath: path, upTo: "v1-core", then: Self.legacyApp)

        let dryRun = try await HooklineProcess.run(["migrate", "--dry-run", "--data-dir", directory.path])
        #expect(dryRun.status == 0, "\(dryRun.output)")
        let listed = dryRun.output.split(separator: "\n").dropFirst().map(String.init)
        #expect(listed == Array(SQLiteMigrations.migrator.migrations.dropFirst()), "every later migration, in order")
        #expect(try SQLiteStore.pendingMigrations(atPath: path).count == listed.count, "the dry run changed nothing")

        let migrate = try await HooklineProcess.run(["migrate", "--data-dir", directory.path])
        #expect(migrate.status == 0, "\(migrate.output)")
        #expect(try SQLiteStore.pendingMigrations(atPath: path).isEmpty)
        let upToDate = try await HooklineProcess.run(["migrate", "--dry-run", "--data-dir", directory.path])
        #expect(upToDate.output.contains("up to date"))

        let store = try await SQLiteStore.open(path: path)
        let app = try #require(try await store.application("legacy"))
        #expect(app.name == "Legacy" && app.id == "app_2legacy0000000000000000000")
        #expect(try await store.pendingMigrations().isEmpty)
    }

    /// A log pruned before v16 kept no watermark: the migration starts it just below the oldest kept event, so a resume
    /// from before that event still gets `stream.gap`, and one from after it does not.
    @Test func theEventPruneWatermarkStartsBelowTheOldestEventOfAnOlderLog() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        try SQLiteMigrations.makeFile(
            atPath: path, upTo: "v15-failed-deliveries",
            then: """
                INSERT INTO event (kind, details, created_at) VALUES
                    ('message.created', '{}', 1), ('message.created', '{}', 2), ('message.created', '{}', 3), ('message.created', '{}', 4);
                DELETE FROM event WHERE id <= 2;
                """)
        let store = try await SQLiteStore.open(path: path)
        let bounds = try await store.eventLogBounds()
        #expect(bounds == EventLogBounds(firstId: 3, lastId: 4, prunedThrough: 2))
        #expect(bounds.hasPruned(after: 1) && !bounds.hasPruned(after: 2))
    }

    @Test func aDatabaseFromANewerHooklineIsRefusedWithAClearError() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/hookline.sqlite"
        _ = try await SQLiteStore.open(path: path)
        try SQLiteMigrations.makeFile(
            atPath: path, upTo: SQLiteMigrations.migrator.migrations.last!,
            then: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")

        #expect { try SQLiteStore(path: path) } throws: { error in
            (error as? HooklineError)?.message.contains("newer than this Hookline") == true
        }
        let serve = try await HooklineProcess.run(["serve", "--port", "0", "--data-dir", directory.path])
        #expect(serve.status != 0)
        #expect(serve.output.contains("v99-from-the-future") && serve.output.contains("newer than this Hookline"), "\(serve.output)")
        let dryRun = try await HooklineProcess.run(["migrate", "--dry-run", "--data-dir", directory.path])
        #expect(dryRun.status != 0 && dryRun.output.contains("newer than this Hookline"))
    }

    @Test func aPostgreSQLDatabaseFromANewerHooklineIsRefused() async throws {
        try await PostgresTestDatabase.withStore { store in
            #expect(try await store.pendingMigrations().isEmpty)
            let future = PostgresMigrations.latestVersion + 1
            try await store.client.query("INSERT INTO hookline_migration (version, name, applied_at) VALUES (\(future), 'future', 0)")
            #expect(try await store.unknownMigrationVersions() == [future])
            await #expect { try await store.migrate() } throws: { error in
                (error as? HooklineError)?.message.contains("newer than this Hookline") == true
            }
        }
    }
}
