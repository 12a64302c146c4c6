import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Inserts a token record.
    public func insertPortalToken(_ token: PortalToken) async throws {
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
    public func portalToken(digest: String) async throws -> PortalToken? {
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
    public func revokePortalToken(digest: String, now: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE portal_token SET revoked_at = ? WHERE digest = ? AND revoked_at IS NULL AND expires_at > ?",
                arguments: [now.millisecondsSince1970, digest, now.millisecondsSince1970])
            return db.changesCount > 0
        }
    }

    /// Makes an application's tokens (only those of `sessionIds`, when given) expire at `cutoff` at the latest.
    public func expirePortalTokens(appId: String, sessionIds: [String]?, at cutoff: Date) async throws -> Int {
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
    public func deletePortalTokens(expiredBefore cutoff: Date) async throws -> Int {
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
