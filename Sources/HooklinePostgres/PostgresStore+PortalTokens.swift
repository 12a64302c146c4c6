import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Inserts a token record.
    public func insertPortalToken(_ token: PortalToken) async throws {
        try await writing(conflict: "portal token already exists") { session in
            try await session.execute(
                """
                INSERT INTO portal_token (digest, app_id, read_only, feature_flags, session_id, created_at, expires_at, revoked_at)
                VALUES (\(token.digest), \(token.appId), \(token.readOnly), \(JSONText.encode(token.featureFlags)), \(token.sessionId),
                        \(token.createdAt.millisecondsSince1970), \(token.expiresAt.millisecondsSince1970),
                        \(token.revokedAt?.millisecondsSince1970))
                """)
        }
    }

    /// The token record with this digest, usable or not.
    public func portalToken(digest: String) async throws -> PortalToken? {
        try await reading { session in
            guard let row = try await session.first("SELECT * FROM portal_token WHERE digest = \(digest)") else { return nil }
            return PortalToken(
                digest: try row.get("digest"), appId: try row.get("app_id"), readOnly: try row.get("read_only"),
                featureFlags: JSONText.decode([String].self, try row.get("feature_flags", as: String.self)) ?? [],
                sessionId: try row.get("session_id"), createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"),
                revokedAt: try row.optionalDate("revoked_at"))
        }
    }

    /// Marks the token revoked at `now`; returns whether it was usable until then.
    public func revokePortalToken(digest: String, now: Date) async throws -> Bool {
        try await writing { session in
            let ms = now.millisecondsSince1970
            return try await session.execute(
                """
                UPDATE portal_token SET revoked_at = \(ms)
                WHERE digest = \(digest) AND revoked_at IS NULL AND expires_at > \(ms) RETURNING 1
                """) > 0
        }
    }

    /// Makes an application's tokens (only those of `sessionIds`, when given) expire at `cutoff` at the latest.
    public func expirePortalTokens(appId: String, sessionIds: [String]?, at cutoff: Date) async throws -> Int {
        try await writing { session in
            let ms = cutoff.millisecondsSince1970
            if let sessionIds {
                return try await session.execute(
                    """
                    UPDATE portal_token SET expires_at = \(ms)
                    WHERE app_id = \(appId) AND expires_at > \(ms) AND session_id = ANY(\(sessionIds)) RETURNING 1
                    """)
            }
            return try await session.execute(
                "UPDATE portal_token SET expires_at = \(ms) WHERE app_id = \(appId) AND expires_at > \(ms) RETURNING 1")
        }
    }

    /// Deletes the records that expired before `cutoff`; returns how many.
    public func deletePortalTokens(expiredBefore cutoff: Date) async throws -> Int {
        try await writing { session in
            try await session.execute("DELETE FROM portal_token WHERE expires_at < \(cutoff.millisecondsSince1970) RETURNING 1")
        }
    }
}
