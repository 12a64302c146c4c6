import Foundation
import HooklineCore
import PostgresNIO

extension Application {
    /// Reads an `application` row.
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), uid: try row.get("uid"), name: try row.get("name"),
            metadata: JSONText.decode([String: String].self, try row.get("metadata")) ?? [:], throttleRate: try row.get("throttle_rate"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

extension Endpoint {
    /// Reads an `endpoint` row.
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), appId: try row.get("app_id"), uid: try row.get("uid"), url: try row.get("url"),
            description: try row.get("description"), eventTypes: try row.get("event_types"), channels: try row.get("channels"),
            disabled: try row.get("disabled"), secret: try EndpointSecret(try row.get("secret")),
            metadata: JSONText.decode([String: String].self, try row.get("metadata")) ?? [:],
            headers: JSONText.decode([String: String].self, try row.get("headers")) ?? [:], throttleRate: try row.get("throttle_rate"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            previousSecrets: RetiredSecretText.decode(try row.get("previous_secrets")), failingSince: try row.optionalDate("failing_since"),
            payloadFilter: PayloadFilterText.decode(try row.get("payload_filter")))
        ordered = try row.get("ordered")
    }
}

extension Message {
    /// Reads a `message` row.
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), appId: try row.get("app_id"), eventType: try row.get("event_type"), eventId: try row.get("event_id"),
            payload: try row.get("payload"), channels: try row.get("channels"), tags: try row.get("tags"),
            createdAt: try row.date("created_at"), contentType: try row.get("content_type"), correlationId: try row.get("correlation_id"),
            priority: try row.get("priority"))
    }
}

extension Attempt {
    /// Reads an `attempt` row.
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), messageId: try row.get("message_id"), endpointId: try row.get("endpoint_id"),
            appId: try row.get("app_id"), url: try row.get("url"), responseStatusCode: try row.get("status_code"),
            response: try row.get("response"), durationMs: try row.get("duration_ms"),
            status: AttemptStatus(rawValue: try row.get("status")), trigger: AttemptTrigger(rawValue: try row.get("trigger_type")),
            timestamp: try row.date("created_at"))
    }
}

extension Delivery {
    /// Reads a `delivery` row.
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), messageId: try row.get("message_id"), endpointId: try row.get("endpoint_id"),
            appId: try row.get("app_id"), state: DeliveryState(rawValue: try row.get("state")), attempts: try row.get("attempts"),
            nextAttemptAt: try row.date("next_attempt_at"), manual: try row.get("manual"), priority: try row.get("priority"))
    }
}

extension EventType {
    /// Reads an `event_type` row.
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            name: try row.get("name"), description: try row.get("description"), archived: try row.get("archived"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
        schemas = JSONText.decode(JSONValue.self, try row.get("schemas"))
        deprecated = try row.get("deprecated")
        featureFlags = JSONText.decode([String].self, try row.get("feature_flag"))
        groupName = try row.get("group_name")
    }
}

extension BackgroundTask {
    /// Reads a `background_task` row.
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), kind: Kind(rawValue: try row.get("kind")), status: Status(rawValue: try row.get("status")),
            appId: try row.get("app_id"), endpointId: try row.get("endpoint_id"), since: try row.date("since"),
            until: try row.optionalDate("until"), cursor: try row.get("cursor"), processed: try row.get("processed"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

extension InboundRecord {
    /// Reads an `inbound_request` row.
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), sourceId: try row.get("source_id"), status: InboundStatus(rawValue: try row.get("status")) ?? .failed,
            verification: VerificationOutcome(label: try row.get("verification"), reason: try row.get("reason")),
            dedupKey: try row.get("dedup_key"), duplicateOf: try row.get("duplicate_of"),
            headers: JSONText.decode([InboundHeader].self, try row.get("headers")) ?? [], body: try row.get("body"),
            messageId: try row.get("message_id"), failure: try row.get("failure"), receivedAt: try row.date("received_at"),
            routedAt: try row.optionalDate("routed_at"))
    }
}

extension StreamEvent {
    /// Reads an `event` row.
    init(pg row: PostgresRandomAccessRow) throws {
        let draft = EventDraft(
            kind: EventKind(rawValue: try row.get("kind")), appId: try row.get("app_id"), messageId: try row.get("message_id"),
            endpointId: try row.get("endpoint_id"), eventType: try row.get("event_type"),
            channels: JSONText.decode([String].self, try row.get("channels")), latencyMs: try row.get("latency_ms"),
            details: JSONText.decode(JSONValue.self, try row.get("details")) ?? .object([:]), createdAt: try row.date("created_at"))
        self.init(id: try row.get("id"), draft: draft)
    }
}

/// An endpoint's payload filter as its JSON wire form, or `NULL`.
enum PayloadFilterText {
    /// The column text for `filter`.
    static func encode(_ filter: PayloadFilter?) -> String? {
        guard let filter, let data = try? filter.json.canonicalData() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The filter stored as `text`; `nil` when absent or no longer valid.
    static func decode(_ text: String?) -> PayloadFilter? {
        guard let value = JSONText.decode(JSONValue.self, text) else { return nil }
        return try? PayloadFilter(json: value)
    }
}

/// An endpoint's retired secrets as JSON text: `[{"key": "whsec_…", "expiresAt": ms}]` (the SQLite store's form).
enum RetiredSecretText {
    private struct Stored: Codable {
        var key: String
        var expiresAt: Int64
    }

    /// The column text for `secrets`.
    static func encode(_ secrets: [RetiredSecret]) -> String {
        JSONText.encode(secrets.map { Stored(key: $0.secret.encoded, expiresAt: $0.expiresAt.millisecondsSince1970) })
    }

    /// The secrets in a column's text; unreadable entries are dropped.
    static func decode(_ text: String?) -> [RetiredSecret] {
        (JSONText.decode([Stored].self, text) ?? []).compactMap { stored in
            (try? EndpointSecret(stored.key)).map { RetiredSecret(secret: $0, expiresAt: Date(millisecondsSince1970: stored.expiresAt)) }
        }
    }
}
