import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Inserts a source; a taken uid is a conflict.
    package func insertSource(_ source: Source) async throws {
        let definition = try SourceColumn.encode(source)
        try await write(conflict: "a source with this uid already exists") { db in
            try db.execute(
                sql: "INSERT INTO source (id, uid, app_id, definition, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [source.id, source.uid, source.appId, definition, source.createdAt.millisecondsSince1970])
        }
    }

    /// The source with this id or uid.
    package func source(_ idOrUid: String) async throws -> Source? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT definition FROM source WHERE id = ? OR uid = ? LIMIT 1", arguments: [idOrUid, idOrUid])
                .map(SourceColumn.decode)
        }
    }

    /// A page of sources, newest first.
    package func sources(_ page: PageRequest) async throws -> Page<Source> {
        let list = SQLiteListQuery(from: "source")
        return try await pool.read { db in
            try list.page(page, in: db, id: \.id) { row in try SourceColumn.decode(row["definition"]) }
        }
    }

    /// Replaces a source; a taken uid is a conflict.
    package func updateSource(_ source: Source) async throws {
        let definition = try SourceColumn.encode(source)
        try await write(conflict: "a source with this uid already exists") { db in
            try db.execute(
                sql: "UPDATE source SET uid = ?, app_id = ?, definition = ? WHERE id = ?",
                arguments: [source.uid, source.appId, definition, source.id])
        }
    }

    /// Deletes a source with its stored requests and dedup keys.
    package func deleteSource(id: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM inbound_dedup WHERE source_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM inbound_request WHERE source_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM source WHERE id = ?", arguments: [id])
        }
    }

    /// Stores requests in one transaction (fsync'd on commit); dedup keys seen within their window make duplicates.
    package func insertInboundRequests(_ batch: [InboundRecord]) async throws -> [InboundInsertOutcome] {
        try await pool.write { db in
            let findKey = try db.cachedStatement(
                sql: "SELECT request_id FROM inbound_dedup WHERE source_id = ? AND dedup_key = ? AND expires_at > ?")
            let keepKey = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO inbound_dedup (source_id, dedup_key, request_id, expires_at) VALUES (?, ?, ?, ?)")
            var outcomes: [InboundInsertOutcome] = []
            for var record in batch {
                var outcome = InboundInsertOutcome.inserted
                if record.status == .pending, let key = record.dedupKey {
                    let received = record.receivedAt.millisecondsSince1970
                    if let first = try String.fetchOne(findKey, arguments: [record.sourceId, key, received]) {
                        record.status = .duplicate
                        record.duplicateOf = first
                        outcome = .duplicate(of: first)
                    } else {
                        let until = (record.dedupUntil ?? record.receivedAt).millisecondsSince1970
                        try keepKey.execute(arguments: [record.sourceId, key, record.id, until])
                    }
                }
                try Self.insertInboundRow(db, record)
                outcomes.append(outcome)
            }
            return outcomes
        }
    }

    /// Up to `limit` pending requests, oldest first.
    package func pendingInboundRequests(limit: Int) async throws -> [InboundRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM inbound_request WHERE status = 0 ORDER BY id LIMIT ?", arguments: [limit])
                .map(InboundRecord.init(row:))
        }
    }

    /// A page of a source's requests, newest first.
    package func inboundRequests(sourceId: String, status: InboundStatus?, page: PageRequest) async throws -> Page<InboundRecord> {
        var list = SQLiteListQuery(from: "inbound_request")
        list.filter("source_id = ?", [sourceId])
        if let status {
            list.filter("status = ?", [status.rawValue])
            if InboundStatus.exceptions.contains(status) { list.filter(InboundStatus.exceptionPredicate, []) }
        }
        return try await pool.read { [list] db in
            try list.page(page, in: db, id: \.id, decode: InboundRecord.init(row:))
        }
    }

    /// The request `id` of a source.
    package func inboundRequest(sourceId: String, id: String) async throws -> InboundRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM inbound_request WHERE source_id = ? AND id = ?", arguments: [sourceId, id])
                .map(InboundRecord.init(row:))
        }
    }

    /// Makes a routed, duplicate or failed request pending again.
    package func requeueInboundRequest(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql:
                    "UPDATE inbound_request SET status = 0, message_id = NULL, failure = NULL, routed_at = NULL WHERE id = ? AND status IN (1, 2, 4)",
                arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Inserts one request row inside the caller's transaction.
    static func insertInboundRow(_ db: Database, _ record: InboundRecord) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO inbound_request (id, source_id, status, verification, reason, dedup_key, duplicate_of, headers, body,
                message_id, failure, received_at, routed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            record.id, record.sourceId, record.status.rawValue, record.verification.label, record.verification.reason,
            record.dedupKey, record.duplicateOf, JSONColumn.encode(record.headers), record.body, record.messageId, record.failure,
            record.receivedAt.millisecondsSince1970, record.routedAt?.millisecondsSince1970,
        ])
    }
}

extension SQLiteStore {
    /// Inserts each routed request's message and deliveries and marks the request, all in one transaction.
    package func routeInboundRequests(_ routings: [InboundRouting]) async throws {
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
