import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Inserts an application.
    public func insertApplication(_ application: Application) async throws {
        try await write(conflict: "an application with this uid already exists") { db in
            try db.execute(
                sql: """
                    INSERT INTO application (id, uid, name, metadata, throttle_rate, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: application.columns)
        }
    }

    /// The application with this id or uid.
    public func application(_ idOrUid: String) async throws -> Application? {
        if let cached = cache.application(idOrUid) { return cached }
        let generation = cache.generation
        let application = try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM application WHERE id = ? OR uid = ?"), arguments: [idOrUid, idOrUid]
            ).map(Application.init(row:))
        }
        if let application { cache.store(application, generation: generation) }
        return application
    }

    /// A page of applications, newest first.
    public func applications(_ page: PageRequest) async throws -> Page<Application> {
        try await pool.read { db in
            try SQLiteListQuery(from: "application").page(page, in: db, id: \.id, decode: Application.init(row:))
        }
    }

    /// Replaces an application.
    public func updateApplication(_ application: Application) async throws {
        try await write(conflict: "an application with this uid already exists") { db in
            var arguments = application.columns
            arguments += [application.id]
            try db.execute(
                sql: """
                    UPDATE application SET id = ?, uid = ?, name = ?, metadata = ?, throttle_rate = ?, created_at = ?,
                    updated_at = ? WHERE id = ?
                    """,
                arguments: arguments)
        }
    }

    /// Deletes an application and everything it owns.
    public func deleteApplication(id: String) async throws {
        try await pool.write { db in
            for table in ["attempt", "delivery", "message", "endpoint", "background_task"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE app_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM application WHERE id = ?", arguments: [id])
        }
    }

    /// Inserts or replaces an event type.
    public func upsertEventType(_ eventType: EventType) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO event_type (name, description, archived, created_at, updated_at, schemas, deprecated, feature_flag, group_name)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET description = excluded.description, archived = excluded.archived,
                    updated_at = excluded.updated_at, schemas = excluded.schemas, deprecated = excluded.deprecated,
                    feature_flag = excluded.feature_flag, group_name = excluded.group_name
                    """,
                arguments: [
                    eventType.name, eventType.description, eventType.archived, eventType.createdAt.millisecondsSince1970,
                    eventType.updatedAt.millisecondsSince1970, JSONColumn.encode(eventType.schemas), eventType.deprecated,
                    JSONColumn.encode(eventType.featureFlags), eventType.groupName,
                ])
        }
    }

    /// The event type with this name.
    public func eventType(named name: String) async throws -> EventType? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM event_type WHERE name = ?", arguments: [name]).map(EventType.init(row:))
        }
    }
}

extension Application {
    var columns: StatementArguments {
        [
            id, uid, name, JSONColumn.encode(metadata), throttleRate, createdAt.millisecondsSince1970,
            updatedAt.millisecondsSince1970,
        ]
    }
}

extension EventType {
    init(row: Row) {
        self.init(
            name: row["name"], description: row["description"], archived: row["archived"],
            createdAt: Date(millisecondsSince1970: row["created_at"]), updatedAt: Date(millisecondsSince1970: row["updated_at"]))
        schemas = JSONColumn.decode(JSONValue.self, row["schemas"])
        deprecated = row["deprecated"]
        featureFlags = JSONColumn.decode([String].self, row["feature_flag"])
        groupName = row["group_name"]
    }
}
