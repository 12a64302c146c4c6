import Foundation
import GRDB
import HooklineCore

/// Encoding of list and map columns as JSON text.
enum JSONColumn {
    /// A list of strings, written without `JSONEncoder` (the hot path's channels and tags).
    static func encode(_ value: [String]?) -> String? {
        value.map(JSONValue.compactText)
    }

    /// A JSON value, written without `JSONEncoder` (the hot path's event details).
    static func encode(_ value: JSONValue?) -> String? {
        value?.compactText
    }

    static func encode<T: Encodable>(_ value: T?) -> String? {
        guard let value, let data = try? JSONEncoder().encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON value, read without `JSONDecoder` (event details: every event a stream sends is read here).
    static func decode(_ type: JSONValue.Type, _ text: String?) -> JSONValue? {
        text.flatMap(JSONValue.parse)
    }

    /// A list of strings, read without `JSONDecoder` (channels, tags, event types).
    static func decode(_ type: [String].Type, _ text: String?) -> [String]? {
        text.flatMap(JSONValue.parseStrings)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension Application {
    init(row: Row) {
        self.init(
            id: row["id"], uid: row["uid"], name: row["name"],
            metadata: JSONColumn.decode([String: String].self, row["metadata"]) ?? [:], throttleRate: row["throttle_rate"],
            createdAt: Date(millisecondsSince1970: row["created_at"]), updatedAt: Date(millisecondsSince1970: row["updated_at"]))
    }
}

extension Endpoint {
    init(row: Row) throws {
        self.init(
            id: row["id"], appId: row["app_id"], uid: row["uid"], url: row["url"], description: row["description"],
            eventTypes: JSONColumn.decode([String].self, row["event_types"]),
            channels: JSONColumn.decode([String].self, row["channels"]), disabled: row["disabled"],
            secret: try EndpointSecret(row["secret"]),
            metadata: JSONColumn.decode([String: String].self, row["metadata"]) ?? [:],
            headers: JSONColumn.decode([String: String].self, row["headers"]) ?? [:], throttleRate: row["throttle_rate"],
            createdAt: Date(millisecondsSince1970: row["created_at"]), updatedAt: Date(millisecondsSince1970: row["updated_at"]),
            previousSecrets: RetiredSecretColumn.decode(row["previous_secrets"]),
            failingSince: (row["failing_since"] as Int64?).map(Date.init(millisecondsSince1970:)),
            payloadFilter: PayloadFilterColumn.decode(row["payload_filter"]))
        ordered = row["ordered"] ?? false
    }
}

extension Message {
    /// The columns `init(row:)` decodes, in its order: select exactly these (`SELECT \(Message.columns) FROM message`).
    static let columns = "id, app_id, event_type, event_id, payload, channels, tags, created_at, content_type, correlation_id, priority"

    /// Decodes a row selected with `Message.columns` by position (read for every claimed delivery: no name lookups).
    init(row: Row) {
        self.init(
            id: row[0], appId: row[1], eventType: row[2], eventId: row[3], payload: row[4],
            channels: JSONColumn.decode([String].self, row[5]), tags: JSONColumn.decode([String].self, row[6]),
            createdAt: Date(millisecondsSince1970: row[7]), contentType: row[8], correlationId: row[9],
            priority: row[10] ?? PriorityLane.normal.level)
    }
}

extension Attempt {
    init(row: Row) {
        self.init(
            id: row["id"], messageId: row["message_id"], endpointId: row["endpoint_id"], appId: row["app_id"],
            url: row["url"], responseStatusCode: row["status_code"], response: row["response"],
            durationMs: row["duration_ms"], status: AttemptStatus(rawValue: row["status"]),
            trigger: AttemptTrigger(rawValue: row["trigger_type"]), timestamp: Date(millisecondsSince1970: row["created_at"]))
    }
}

extension Delivery {
    /// The columns `init(row:)` decodes, in its order: select exactly these (`SELECT \(Delivery.columns) FROM delivery`).
    static let columns = "id, message_id, endpoint_id, app_id, state, attempts, next_attempt_at, manual, priority"

    /// Decodes a row selected with `Delivery.columns` by position (the claim's hot path: no column-name lookups).
    init(row: Row) {
        self.init(
            id: row[0], messageId: row[1], endpointId: row[2], appId: row[3], state: DeliveryState(rawValue: row[4]),
            attempts: row[5], nextAttemptAt: Date(millisecondsSince1970: row[6]), manual: row[7], priority: row[8])
    }
}
