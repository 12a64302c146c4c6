import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    private static let uidTaken = "an endpoint with this uid already exists in the application"

    /// Inserts an endpoint; a uid taken in the application is a conflict.
    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        try await writing(conflict: Self.uidTaken) { session in
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
    public func endpoint(appId: String, idOrUid: String) async throws -> Endpoint? {
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
    public func endpoints(appId: String, page: PageRequest) async throws -> Page<Endpoint> {
        var list = PostgresListQuery(from: "endpoint")
        try list.filter("app_id = ?", appId)
        return try await reading { [list] session in
            try await list.page(page, in: session, id: \.id, decode: Endpoint.init(pg:))
        }
    }

    /// Every endpoint of an application, read fresh from the database.
    public func allEndpoints(appId: String) async throws -> [Endpoint] {
        try await reading { session in
            try await session.rows("SELECT * FROM endpoint WHERE app_id = \(appId) ORDER BY id").map(Endpoint.init(pg:))
        }
    }

    /// Replaces an endpoint; a uid taken in the application is a conflict. Enabling or disabling appends its event;
    /// enabling also ends the failure streak, so the old streak cannot disable it again at once.
    public func updateEndpoint(_ endpoint: Endpoint) async throws {
        try await writing(conflict: Self.uidTaken) { session in
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
    public func deleteEndpoint(appId: String, id: String, now: Date) async throws {
        try await writing { session in
            try await session.execute(
                "UPDATE delivery SET state = 4, updated_at = \(now.millisecondsSince1970) WHERE endpoint_id = \(id) AND state IN (0, 1, 5)")
            try await session.execute("DELETE FROM endpoint WHERE app_id = \(appId) AND id = \(id)")
        }
    }
}
