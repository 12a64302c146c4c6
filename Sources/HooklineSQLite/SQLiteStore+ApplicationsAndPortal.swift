import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Inserts an application.
    package func insertApplication(_ application: Application) async throws {
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
    package func application(_ idOrUid: String) async throws -> Application? {
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
    package func applications(_ page: PageRequest) async throws -> Page<Application> {
        try await pool.read { db in
            try SQLiteListQuery(from: "application").page(page, in: db, id: \.id, decode: Application.init(row:))
        }
    }

    /// Replaces an application.
    package func updateApplication(_ application: Application) async throws {
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
    package func deleteApplication(id: String) async throws {
        try await pool.write { db in
            for table in ["attempt", "delivery", "message", "endpoint", "background_task"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE app_id = ?", arguments: [id])
            }
            try db.execute(sql: "DELETE FROM application WHERE id = ?", arguments: [id])
        }
    }

    /// Inserts or replaces an event type.
    package func upsertEventType(_ eventType: EventType) async throws {
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
    package func eventType(named name: String) async throws -> EventType? {
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

extension SQLiteStore {
    /// Inserts a token record.
    package func insertPortalToken(_ token: PortalToken) async throws {
        try await write(conflict: "portal token already exists") { db in
            try db.execute(
                sql: """
                    INSERT INTO portal_token (digest, app_id, read_only, feature_flags, session_id, created_at, expires_at, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.digest, token.appId, token.readOnly, Self.flagsText(token.featureFlags), token.sessionId,
                    token.createdAt.millisecondsSince1970, token.expiresAt.millisecondsSince1970, token.revokedAt?.millisecondsSince1970,
                ])
        }
    }

    /// The token record with this digest, usable or not.
    package func portalToken(digest: String) async throws -> PortalToken? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM portal_token WHERE digest = ?", arguments: [digest]) else { return nil }
            let revoked: Int64? = row["revoked_at"]
            return PortalToken(
                digest: row["digest"], appId: row["app_id"], readOnly: row["read_only"],
                featureFlags: Self.flags(row["feature_flags"]), sessionId: row["session_id"],
                createdAt: Date(millisecondsSince1970: row["created_at"]), expiresAt: Date(millisecondsSince1970: row["expires_at"]),
                revokedAt: revoked.map(Date.init(millisecondsSince1970:)))
        }
    }

    /// Marks the token revoked at `now`; returns whether it was usable until then.
    package func revokePortalToken(digest: String, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE portal_token SET revoked_at = ? WHERE digest = ? AND revoked_at IS NULL AND expires_at > ?",
                arguments: [now.millisecondsSince1970, digest, now.millisecondsSince1970])
            return db.changesCount > 0
        }
    }

    /// Makes an application's tokens (only those of `sessionIds`, when given) expire at `cutoff` at the latest.
    package func expirePortalTokens(appId: String, sessionIds: [String]?, at cutoff: Date) async throws -> Int {
        try await pool.write { db in
            var sql = "UPDATE portal_token SET expires_at = ? WHERE app_id = ? AND expires_at > ?"
            var arguments: StatementArguments = [cutoff.millisecondsSince1970, appId, cutoff.millisecondsSince1970]
            if let sessionIds {
                sql += " AND session_id IN (SELECT value FROM json_each(?))"
                arguments += [Self.flagsText(sessionIds)]
            }
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
    }

    /// Deletes the records that expired before `cutoff`; returns how many.
    package func deletePortalTokens(expiredBefore cutoff: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM portal_token WHERE expires_at < ?", arguments: [cutoff.millisecondsSince1970])
            return db.changesCount
        }
    }

    /// The JSON text of a flag list.
    static func flagsText(_ flags: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(flags)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The flag list in JSON text (empty when unreadable).
    static func flags(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
