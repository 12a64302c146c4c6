import Foundation
import HooklineCore
import PostgresNIO

/// Events laid out as column arrays for one `unnest` in the statement that appends them (an ingest, a completion, or
/// `appendEvents`), in draft order.
///
/// The same layout as the messages and deliveries of an ingest (no JSON text to write and parse). Optional columns
/// travel as `""` or `0` with a `present` bit, as the ingest's message columns do.
struct PostgresEventRows: Sendable {
    /// Bits of `present`: which optional columns hold a value (the others are stored as NULL).
    enum Present {
        /// `app_id`.
        static let appId: Int64 = 1
        /// `message_id`.
        static let messageId: Int64 = 2
        /// `endpoint_id`.
        static let endpointId: Int64 = 4
        /// `event_type`.
        static let eventType: Int64 = 8
        /// `channels`.
        static let channels: Int64 = 16
        /// `latency_ms`.
        static let latencyMs: Int64 = 32
    }

    /// Columns, one element per event.
    var kinds: [String] = [], appIds: [String] = [], messageIds: [String] = [], endpointIds: [String] = []
    /// More columns, one element per event: the event type, the channels and the details as JSON text.
    var eventTypes: [String] = [], channels: [String] = [], details: [String] = []
    /// Numeric columns, one element per event.
    var latencies: [Int64] = [], createdAt: [Int64] = []
    /// `Present` bits per event.
    var present: [Int64] = []

    /// Lays out `drafts`.
    init(_ drafts: [EventDraft] = []) {
        for draft in drafts { append(draft) }
    }

    /// Whether there is no event.
    var isEmpty: Bool { kinds.isEmpty }

    /// Appends one event.
    mutating func append(_ draft: EventDraft) {
        var bits: Int64 = 0
        func optional<T>(_ value: T?, _ bit: Int64, empty: T) -> T {
            guard let value else { return empty }
            bits |= bit
            return value
        }
        kinds.append(draft.kind.rawValue.withoutNUL)
        appIds.append(optional(draft.appId, Present.appId, empty: ""))
        messageIds.append(optional(draft.messageId, Present.messageId, empty: ""))
        endpointIds.append(optional(draft.endpointId, Present.endpointId, empty: ""))
        eventTypes.append(optional(draft.eventType?.withoutNUL, Present.eventType, empty: ""))
        channels.append(optional(draft.channels.map(JSONValue.compactText), Present.channels, empty: ""))
        latencies.append(optional(draft.latencyMs, Present.latencyMs, empty: 0))
        details.append(draft.details.compactText)
        createdAt.append(draft.createdAt.millisecondsSince1970)
        present.append(bits)
    }
}

extension PostgresQuery.StringInterpolation {
    /// `rows` as a row source `x(kind, app_id, message_id, endpoint_id, event_type, channels, latency_ms, details,
    /// created_at, n)`, `n` being each event's 1-based position; the text is the same for every `rows`.
    mutating func appendInterpolation(events rows: PostgresEventRows) {
        appendInterpolation(unescaped: "(SELECT u.kind, ")
        for (column, bit) in [
            ("app_id", PostgresEventRows.Present.appId), ("message_id", PostgresEventRows.Present.messageId),
            ("endpoint_id", PostgresEventRows.Present.endpointId), ("event_type", PostgresEventRows.Present.eventType),
            ("channels", PostgresEventRows.Present.channels), ("latency_ms", PostgresEventRows.Present.latencyMs),
        ] {
            appendInterpolation(unescaped: "CASE WHEN u.present & \(bit) <> 0 THEN u.\(column) END AS \(column), ")
        }
        appendInterpolation(unescaped: "u.details, u.created_at, u.n FROM unnest(")
        appendInterpolation(rows.kinds)
        appendInterpolation(unescaped: "::text[], ")
        appendInterpolation(rows.appIds)
        appendInterpolation(unescaped: "::text[], ")
        appendInterpolation(rows.messageIds)
        appendInterpolation(unescaped: "::text[], ")
        appendInterpolation(rows.endpointIds)
        appendInterpolation(unescaped: "::text[], ")
        appendInterpolation(rows.eventTypes)
        appendInterpolation(unescaped: "::text[], ")
        appendInterpolation(rows.channels)
        appendInterpolation(unescaped: "::text[], ")
        appendInterpolation(rows.latencies)
        appendInterpolation(unescaped: "::int8[], ")
        appendInterpolation(rows.details)
        appendInterpolation(unescaped: "::text[], ")
        appendInterpolation(rows.createdAt)
        appendInterpolation(unescaped: "::int8[], ")
        appendInterpolation(rows.present)
        appendInterpolation(
            unescaped:
                "::int8[]) WITH ORDINALITY AS u(kind, app_id, message_id, endpoint_id, event_type, channels, latency_ms, details, created_at, present, n)) AS x"
        )
    }
}
