import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Inserts an endpoint.
    package func insertEndpoint(_ endpoint: Endpoint) async throws {
        try await write(conflict: "an endpoint with this uid already exists in the application") { db in
            try db.execute(
                sql: """
                    INSERT INTO endpoint (id, app_id, uid, url, description, event_types, channels, disabled, secret,
                    metadata, headers, throttle_rate, created_at, updated_at, previous_secrets)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: endpoint.columns)
            try Self.writePayloadFilter(db, endpoint)
            try Self.writeOrdered(db, endpoint)
        }
    }

    /// The endpoint of `appId` with this id or uid.
    package func endpoint(appId: String, idOrUid: String) async throws -> Endpoint? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM endpoint WHERE app_id = ? AND (id = ? OR uid = ?)", arguments: [appId, idOrUid, idOrUid]
            ).map(Endpoint.init(row:))
        }
    }

    /// A page of an application's endpoints, newest first.
    package func endpoints(appId: String, page: PageRequest) async throws -> Page<Endpoint> {
        var query = SQLiteListQuery(from: "endpoint")
        query.filter("app_id = ?", [appId])
        return try await pool.read { [query] db in
            try query.page(page, in: db, id: \.id, decode: Endpoint.init(row:))
        }
    }

    /// Every endpoint of an application.
    package func allEndpoints(appId: String) async throws -> [Endpoint] {
        if let cached = cache.endpoints(appId: appId) { return cached }
        let generation = cache.generation
        let endpoints = try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM endpoint WHERE app_id = ? ORDER BY id"), arguments: [appId])
                .map(Endpoint.init(row:))
        }
        cache.store(endpoints, appId: appId, generation: generation)
        return endpoints
    }

    /// Replaces an endpoint.
    package func updateEndpoint(_ endpoint: Endpoint) async throws {
        try await write(conflict: "an endpoint with this uid already exists in the application") { db in
            var arguments = endpoint.columns
            arguments += [endpoint.id]
            let wasDisabled = try Bool.fetchOne(db, sql: "SELECT disabled FROM endpoint WHERE id = ?", arguments: [endpoint.id])
            if let wasDisabled, wasDisabled != endpoint.disabled {
                try Self.insertEvents(db, [.endpointToggled(endpoint, at: endpoint.updatedAt)])
                // Enabling starts a new failure streak: the old one must not disable it again at once.
                if !endpoint.disabled { try db.execute(sql: "UPDATE endpoint SET failing_since = NULL WHERE id = ?", arguments: [endpoint.id]) }
            }
            try db.execute(
                sql: """
                    UPDATE endpoint SET id = ?, app_id = ?, uid = ?, url = ?, description = ?, event_types = ?, channels = ?,
                    disabled = ?, secret = ?, metadata = ?, headers = ?, throttle_rate = ?, created_at = ?, updated_at = ?,
                    previous_secrets = ? WHERE id = ?
                    """,
                arguments: arguments)
            try Self.writePayloadFilter(db, endpoint)
            try Self.writeOrdered(db, endpoint)
        }
    }

    /// Deletes an endpoint and cancels its active and skipped deliveries.
    package func deleteEndpoint(appId: String, id: String, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE delivery SET state = 4, updated_at = ? WHERE endpoint_id = ? AND state IN (0, 1, 5)",
                arguments: [now.millisecondsSince1970, id])
            try db.execute(sql: "DELETE FROM endpoint WHERE app_id = ? AND id = ?", arguments: [appId, id])
        }
    }
}

extension Endpoint {
    var columns: StatementArguments {
        [
            id, appId, uid, url, description, JSONColumn.encode(eventTypes), JSONColumn.encode(channels), disabled,
            secret.encoded, JSONColumn.encode(metadata), JSONColumn.encode(headers), throttleRate,
            createdAt.millisecondsSince1970, updatedAt.millisecondsSince1970, RetiredSecretColumn.encode(previousSecrets),
        ]
    }
}

extension SQLiteStore {
    /// Writes `endpoint.payloadFilter` into its row (inside the insert or update transaction).
    static func writePayloadFilter(_ db: Database, _ endpoint: Endpoint) throws {
        try db.cachedStatement(sql: "UPDATE endpoint SET payload_filter = ? WHERE id = ?")
            .execute(arguments: [PayloadFilterColumn.encode(endpoint.payloadFilter), endpoint.id])
    }
}

/// The `payload_filter` column: the filter's JSON wire form, or `NULL`.
enum PayloadFilterColumn {
    /// The column text for `filter`.
    static func encode(_ filter: PayloadFilter?) -> String? {
        guard let filter, let data = try? filter.json.canonicalData() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The filter stored as `text`; `nil` when absent or no longer valid.
    static func decode(_ text: String?) -> PayloadFilter? {
        guard let text, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
        return try? PayloadFilter(json: value)
    }
}

extension SQLiteStore {
    /// Writes `endpoint.ordered` into its row (inside the insert or update transaction).
    static func writeOrdered(_ db: Database, _ endpoint: Endpoint) throws {
        try db.cachedStatement(sql: "UPDATE endpoint SET ordered = ? WHERE id = ?").execute(arguments: [endpoint.ordered, endpoint.id])
    }
}

/// Encoding of an endpoint's retired secrets as JSON text: `[{"key": "whsec_…", "expiresAt": ms}]`.
enum RetiredSecretColumn {
    private struct Stored: Codable {
        var key: String
        var expiresAt: Int64
    }

    /// The column text for `secrets`.
    static func encode(_ secrets: [RetiredSecret]) -> String {
        JSONColumn.encode(secrets.map { Stored(key: $0.secret.encoded, expiresAt: $0.expiresAt.millisecondsSince1970) }) ?? "[]"
    }

    /// The secrets in a column's text; unreadable entries are dropped.
    static func decode(_ text: String?) -> [RetiredSecret] {
        (JSONColumn.decode([Stored].self, text) ?? []).compactMap { stored in
            (try? EndpointSecret(stored.key)).map { RetiredSecret(secret: $0, expiresAt: Date(millisecondsSince1970: stored.expiresAt)) }
        }
    }
}
