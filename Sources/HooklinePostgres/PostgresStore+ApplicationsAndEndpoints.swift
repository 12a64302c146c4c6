import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    private static let applicationUidTaken = "an application with this uid already exists"

    /// Inserts an application; a taken uid is a conflict.
    package func insertApplication(_ application: Application) async throws {
        try await writing(conflict: Self.applicationUidTaken) { session in
            try await session.execute(
                """
                INSERT INTO application (id, uid, name, metadata, throttle_rate, created_at, updated_at)
                VALUES (\(application.id), \(application.uid), \(application.name.withoutNUL), \(JSONText.encode(application.metadata)),
                \(application.throttleRate), \(application.createdAt.millisecondsSince1970), \(application.updatedAt.millisecondsSince1970))
                """)
        }
    }

    /// The application with this id or uid.
    package func application(_ idOrUid: String) async throws -> Application? {
        try await reading { session in
            try await session.first("SELECT * FROM application WHERE id = \(idOrUid) OR uid = \(idOrUid) ORDER BY id = \(idOrUid) DESC LIMIT 1")
                .map(Application.init(pg:))
        }
    }

    /// A page of applications, newest first.
    package func applications(_ page: PageRequest) async throws -> Page<Application> {
        try await reading { session in
            try await PostgresListQuery(from: "application").page(page, in: session, id: \.id, decode: Application.init(pg:))
        }
    }

    /// Replaces an application; a taken uid is a conflict.
    package func updateApplication(_ application: Application) async throws {
        try await writing(conflict: Self.applicationUidTaken) { session in
            try await session.execute(
                """
                UPDATE application SET uid = \(application.uid), name = \(application.name.withoutNUL),
                metadata = \(JSONText.encode(application.metadata)), throttle_rate = \(application.throttleRate),
                created_at = \(application.createdAt.millisecondsSince1970), updated_at = \(application.updatedAt.millisecondsSince1970)
                WHERE id = \(application.id)
                """)
        }
    }

    /// Deletes an application with its endpoints, messages, deliveries, attempts and tasks.
    package func deleteApplication(id: String) async throws {
        try await writing { session in
            for table in ["attempt", "delivery", "message_event_id", "message", "endpoint", "background_task"] {
                try await session.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE app_id = $1", binds: try Self.binds(id)))
            }
            try await session.execute("DELETE FROM application WHERE id = \(id)")
        }
    }

    /// Inserts or replaces an event type.
    package func upsertEventType(_ eventType: EventType) async throws {
        try await writing { session in
            try await session.execute(
                """
                INSERT INTO event_type (name, description, archived, created_at, updated_at, schemas, deprecated, feature_flag, group_name)
                VALUES (\(eventType.name), \(eventType.description.withoutNUL), \(eventType.archived),
                \(eventType.createdAt.millisecondsSince1970), \(eventType.updatedAt.millisecondsSince1970),
                \(JSONText.encode(eventType.schemas)?.withoutNUL), \(eventType.deprecated), \(JSONText.encode(eventType.featureFlags)), \(eventType.groupName))
                ON CONFLICT (name) DO UPDATE SET description = excluded.description, archived = excluded.archived,
                updated_at = excluded.updated_at, schemas = excluded.schemas, deprecated = excluded.deprecated,
                feature_flag = excluded.feature_flag, group_name = excluded.group_name
                """)
        }
    }

    /// The event type with this name.
    package func eventType(named name: String) async throws -> EventType? {
        try await reading { session in
            try await session.first("SELECT * FROM event_type WHERE name = \(name)").map(EventType.init(pg:))
        }
    }

    /// Bindings holding `values`, in order, for `PostgresQuery(unsafeSQL:binds:)`.
    static func binds(_ values: any PostgresThrowingDynamicTypeEncodable...) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { try binds.append(value) }
        return binds
    }
}

extension PostgresStore {
    private static let endpointUidTaken = "an endpoint with this uid already exists in the application"

    /// Inserts an endpoint; a uid taken in the application is a conflict.
    package func insertEndpoint(_ endpoint: Endpoint) async throws {
        try await writing(conflict: Self.endpointUidTaken) { session in
            try await session.execute(
                """
                INSERT INTO endpoint (id, app_id, uid, url, description, event_types, channels, disabled, secret, metadata, headers,
                throttle_rate, created_at, updated_at, previous_secrets, ordered, payload_filter, failing_since)
                VALUES (\(endpoint.id), \(endpoint.appId), \(endpoint.uid), \(endpoint.url), \(endpoint.description.withoutNUL),
                \(endpoint.eventTypes), \(endpoint.channels), \(endpoint.disabled), \(endpoint.secret.encoded),
                \(JSONText.encode(endpoint.metadata)), \(JSONText.encode(endpoint.headers)), \(endpoint.throttleRate),
                \(endpoint.createdAt.millisecondsSince1970), \(endpoint.updatedAt.millisecondsSince1970),
                \(RetiredSecretText.encode(endpoint.previousSecrets)), \(endpoint.ordered), \(PayloadFilterText.encode(endpoint.payloadFilter)),
                \(endpoint.failingSince?.millisecondsSince1970))
                """)
        }
    }

    /// The endpoint of `appId` with this id or uid.
    package func endpoint(appId: String, idOrUid: String) async throws -> Endpoint? {
        try await reading { session in
            try await session.first(
                """
                SELECT * FROM endpoint WHERE app_id = \(appId) AND (id = \(idOrUid) OR uid = \(idOrUid))
                ORDER BY id = \(idOrUid) DESC LIMIT 1
                """
            ).map(Endpoint.init(pg:))
        }
    }

    /// A page of an application's endpoints, newest first.
    package func endpoints(appId: String, page: PageRequest) async throws -> Page<Endpoint> {
        var list = PostgresListQuery(from: "endpoint")
        try list.filter("app_id = ?", appId)
        return try await reading { [list] session in
            try await list.page(page, in: session, id: \.id, decode: Endpoint.init(pg:))
        }
    }

    /// Every endpoint of an application, read fresh from the database.
    package func allEndpoints(appId: String) async throws -> [Endpoint] {
        try await reading { session in
            try await session.rows("SELECT * FROM endpoint WHERE app_id = \(appId) ORDER BY id").map(Endpoint.init(pg:))
        }
    }

    /// Replaces an endpoint; a uid taken in the application is a conflict. Enabling or disabling appends its event;
    /// enabling also ends the failure streak, so the old streak cannot disable it again at once.
    package func updateEndpoint(_ endpoint: Endpoint) async throws {
        try await writing(conflict: Self.endpointUidTaken) { session in
            let wasDisabled = try await session.value("SELECT disabled FROM endpoint WHERE id = \(endpoint.id) FOR UPDATE", as: Bool.self)
            try await session.execute(
                """
                UPDATE endpoint SET app_id = \(endpoint.appId), uid = \(endpoint.uid), url = \(endpoint.url),
                description = \(endpoint.description.withoutNUL), event_types = \(endpoint.eventTypes), channels = \(endpoint.channels),
                disabled = \(endpoint.disabled), secret = \(endpoint.secret.encoded), metadata = \(JSONText.encode(endpoint.metadata)),
                headers = \(JSONText.encode(endpoint.headers)), throttle_rate = \(endpoint.throttleRate),
                created_at = \(endpoint.createdAt.millisecondsSince1970), updated_at = \(endpoint.updatedAt.millisecondsSince1970),
                previous_secrets = \(RetiredSecretText.encode(endpoint.previousSecrets)), ordered = \(endpoint.ordered),
                payload_filter = \(PayloadFilterText.encode(endpoint.payloadFilter)),
                failing_since = CASE WHEN disabled AND NOT \(endpoint.disabled) THEN NULL ELSE failing_since END
                WHERE id = \(endpoint.id)
                """)
            if let wasDisabled, wasDisabled != endpoint.disabled {
                try await session.appendEvents([.endpointToggled(endpoint, at: endpoint.updatedAt)])
            }
        }
    }

    /// Deletes an endpoint and cancels its active and skipped deliveries.
    package func deleteEndpoint(appId: String, id: String, now: Date) async throws {
        try await writing { session in
            try await session.execute(
                "UPDATE delivery SET state = 4, updated_at = \(now.millisecondsSince1970) WHERE endpoint_id = \(id) AND state IN (0, 1, 5)")
            try await session.execute("DELETE FROM endpoint WHERE app_id = \(appId) AND id = \(id)")
        }
    }
}

extension PostgresStore {
    /// Inserts a token record.
    package func insertPortalToken(_ token: PortalToken) async throws {
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
    package func portalToken(digest: String) async throws -> PortalToken? {
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
    package func revokePortalToken(digest: String, now: Date) async throws -> Bool {
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
    package func expirePortalTokens(appId: String, sessionIds: [String]?, at cutoff: Date) async throws -> Int {
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
    package func deletePortalTokens(expiredBefore cutoff: Date) async throws -> Int {
        try await writing { session in
            try await session.execute("DELETE FROM portal_token WHERE expires_at < \(cutoff.millisecondsSince1970) RETURNING 1")
        }
    }
}
