import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Inserts each routed request's message and deliveries and marks the request, all in one transaction.
    public func routeInboundRequests(_ routings: [InboundRouting]) async throws {
        try await pool.write { db in
            let isPending = try db.cachedStatement(sql: "SELECT 1 FROM inbound_request WHERE id = ? AND status = 0")
            let mark = try db.cachedStatement(
                sql: "UPDATE inbound_request SET status = ?, message_id = ?, failure = ?, routed_at = ? WHERE id = ?")
            var events: [EventDraft] = []
            for routing in routings {
                guard try Bool.fetchOne(isPending, arguments: [routing.requestId]) == true else { continue }
                let now = routing.now.millisecondsSince1970
                guard let item = routing.message else {
                    try mark.execute(arguments: [InboundStatus.failed.rawValue, nil, routing.failure, now, routing.requestId])
                    continue
                }
                let message = item.message
                _ = try Self.insertMessageRows(db, item, updatedAt: now)
                try mark.execute(arguments: [InboundStatus.routed.rawValue, message.id, nil, now, routing.requestId])
                events.append(.messageCreated(message, endpointCount: item.endpointIds.count, skipped: item.skippedEndpointIds.count))
            }
            try Self.insertEvents(db, events)
        }
    }
}

/// A source stored as JSON text in its `definition` column.
enum SourceColumn {
    /// The JSON text of `source`.
    static func encode(_ source: Source) throws -> String {
        String(decoding: try JSONEncoder().encode(source), as: UTF8.self)
    }

    /// The source stored as `text`.
    static func decode(_ text: String) throws -> Source {
        try JSONDecoder().decode(Source.self, from: Data(text.utf8))
    }
}

extension InboundRecord {
    /// Reads a row of `inbound_request`.
    init(row: Row) {
        self.init(
            id: row["id"], sourceId: row["source_id"], status: InboundStatus(rawValue: row["status"]) ?? .failed,
            verification: VerificationOutcome(label: row["verification"], reason: row["reason"]), dedupKey: row["dedup_key"],
            duplicateOf: row["duplicate_of"], headers: JSONColumn.decode([InboundHeader].self, row["headers"]) ?? [],
            body: row["body"], messageId: row["message_id"], failure: row["failure"],
            receivedAt: Date(millisecondsSince1970: row["received_at"]),
            routedAt: (row["routed_at"] as Int64?).map(Date.init(millisecondsSince1970:)))
    }
}
