import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    private static let uidTaken = "a source with this uid already exists"

    /// Inserts a source; a taken uid is a conflict.
    package func insertSource(_ source: Source) async throws {
        let definition = JSONText.encode(source)
        try await writing(conflict: Self.uidTaken) { session in
            try await session.execute(
                """
                INSERT INTO source (id, uid, app_id, definition, created_at)
                VALUES (\(source.id), \(source.uid), \(source.appId), \(definition), \(source.createdAt.millisecondsSince1970))
                """)
        }
    }

    /// The source with this id or uid.
    package func source(_ idOrUid: String) async throws -> Source? {
        try await reading { session in
            try await session.value(
                "SELECT definition FROM source WHERE id = \(idOrUid) OR uid = \(idOrUid) ORDER BY id = \(idOrUid) DESC LIMIT 1",
                as: String.self
            ).map(Self.decodeSource)
        }
    }

    /// A page of sources, newest first.
    package func sources(_ page: PageRequest) async throws -> Page<Source> {
        try await reading { session in
            try await PostgresListQuery(from: "source").page(page, in: session, id: \.id) { row in
                try Self.decodeSource(try row.get("definition"))
            }
        }
    }

    /// Replaces a source; a taken uid is a conflict.
    package func updateSource(_ source: Source) async throws {
        let definition = JSONText.encode(source)
        try await writing(conflict: Self.uidTaken) { session in
            try await session.execute(
                "UPDATE source SET uid = \(source.uid), app_id = \(source.appId), definition = \(definition) WHERE id = \(source.id)")
        }
    }

    /// Deletes a source with its stored requests and dedup keys.
    package func deleteSource(id: String) async throws {
        try await writing { session in
            try await session.execute("DELETE FROM inbound_dedup WHERE source_id = \(id)")
            try await session.execute("DELETE FROM inbound_request WHERE source_id = \(id)")
            try await session.execute("DELETE FROM source WHERE id = \(id)")
        }
    }

    /// Stores requests in one transaction; a pending request whose dedup key was seen within its window is a duplicate.
    ///
    /// Claiming a key is one conditional upsert, so two nodes receiving the same key at once cannot both accept it.
    package func insertInboundRequests(_ batch: [InboundRecord]) async throws -> [InboundInsertOutcome] {
        guard !batch.isEmpty else { return [] }
        return try await writing { session in
            var outcomes: [InboundInsertOutcome] = []
            var pending = false
            for var record in batch {
                var outcome = InboundInsertOutcome.inserted
                if record.status == .pending, let key = record.dedupKey?.withoutNUL {
                    let received = record.receivedAt.millisecondsSince1970
                    let until = (record.dedupUntil ?? record.receivedAt).millisecondsSince1970
                    let claimed = try await session.execute(
                        """
                        INSERT INTO inbound_dedup (source_id, dedup_key, request_id, expires_at)
                        VALUES (\(record.sourceId), \(key), \(record.id), \(until))
                        ON CONFLICT (source_id, dedup_key) DO UPDATE SET request_id = excluded.request_id, expires_at = excluded.expires_at
                        WHERE inbound_dedup.expires_at <= \(received)
                        RETURNING 1
                        """)
                    if claimed == 0 {
                        let first = try await session.value(
                            "SELECT request_id FROM inbound_dedup WHERE source_id = \(record.sourceId) AND dedup_key = \(key)", as: String.self)
                        record.status = .duplicate
                        record.duplicateOf = first
                        outcome = .duplicate(of: first ?? "")
                    }
                }
                try await Self.insertInboundRow(session, record)
                pending = pending || record.status == .pending
                outcomes.append(outcome)
            }
            if pending { try await session.notify(.inboundPending) }
            return outcomes
        }
    }

    /// Up to `limit` pending requests, oldest first.
    package func pendingInboundRequests(limit: Int) async throws -> [InboundRecord] {
        try await reading { session in
            try await session.rows("SELECT * FROM inbound_request WHERE status = 0 ORDER BY id LIMIT \(limit)").map(InboundRecord.init(pg:))
        }
    }

    /// A page of a source's requests, newest first, optionally only those with `status`.
    package func inboundRequests(sourceId: String, status: InboundStatus?, page: PageRequest) async throws -> Page<InboundRecord> {
        var list = PostgresListQuery(from: "inbound_request")
        try list.filter("source_id = ?", sourceId)
        if let status {
            try list.filter("status = ?", status.rawValue)
            if InboundStatus.exceptions.contains(status) { try list.filter(InboundStatus.exceptionPredicate) }
        }
        return try await reading { [list] session in
            try await list.page(page, in: session, id: \.id, decode: InboundRecord.init(pg:))
        }
    }

    /// The request `id` of a source.
    package func inboundRequest(sourceId: String, id: String) async throws -> InboundRecord? {
        try await reading { session in
            try await session.first("SELECT * FROM inbound_request WHERE source_id = \(sourceId) AND id = \(id)").map(InboundRecord.init(pg:))
        }
    }

    /// Makes a routed, duplicate or failed request pending again (a replay); returns whether it changed.
    package func requeueInboundRequest(id: String) async throws -> Bool {
        try await writing { session in
            let changed = try await session.execute(
                """
                UPDATE inbound_request SET status = 0, message_id = NULL, failure = NULL, routed_at = NULL
                WHERE id = \(id) AND status IN (1, 2, 4) RETURNING 1
                """)
            if changed > 0 { try await session.notify(.inboundPending) }
            return changed > 0
        }
    }

    /// Inserts one request row inside the caller's transaction.
    private static func insertInboundRow(_ session: PostgresSession, _ record: InboundRecord) async throws {
        try await session.execute(
            """
            INSERT INTO inbound_request (id, source_id, status, verification, reason, dedup_key, duplicate_of, headers, body,
            message_id, failure, received_at, routed_at)
            VALUES (\(record.id), \(record.sourceId), \(record.status.rawValue), \(record.verification.label),
            \(record.verification.reason?.withoutNUL), \(record.dedupKey?.withoutNUL), \(record.duplicateOf),
            \(JSONText.encode(record.headers)), \(record.body), \(record.messageId), \(record.failure?.withoutNUL),
            \(record.receivedAt.millisecondsSince1970), \(record.routedAt?.millisecondsSince1970))
            """)
    }

    /// The source stored as JSON `text`.
    static func decodeSource(_ text: String) throws -> Source {
        try JSONDecoder().decode(Source.self, from: Data(text.utf8))
    }
}

extension PostgresStore {
    /// Inserts each routed request's message and deliveries and marks the request routed (or failed), all in one
    /// transaction; a request no longer pending is skipped.
    ///
    /// Requests are locked (`FOR UPDATE`) before they are checked, so two nodes routing the same request one after
    /// the other insert its message once. A message whose event id the application already has is not inserted
    /// again: the request is marked routed to the existing message.
    package func routeInboundRequests(_ routings: [InboundRouting]) async throws {
        guard !routings.isEmpty else { return }
        try await writing { session in
            var events: [EventDraft] = []
            var due = false
            for routing in routings {
                let pending = try await session.value(
                    "SELECT 1 FROM inbound_request WHERE id = \(routing.requestId) AND status = 0 FOR UPDATE", as: Int.self)
                guard pending != nil else { continue }
                let now = routing.now.millisecondsSince1970
                guard let item = routing.message else {
                    try await session.execute(
                        """
                        UPDATE inbound_request SET status = \(InboundStatus.failed.rawValue), message_id = NULL,
                        failure = \(routing.failure?.withoutNUL), routed_at = \(now) WHERE id = \(routing.requestId)
                        """)
                    continue
                }
                var messageId = item.message.id
                if let existing = try await session.insertMessage(item, updatedAt: now) {
                    messageId = existing
                } else {
                    due = due || !item.endpointIds.isEmpty
                    events.append(.messageCreated(item.message, endpointCount: item.endpointIds.count, skipped: item.skippedEndpointIds.count))
                }
                try await session.execute(
                    """
                    UPDATE inbound_request SET status = \(InboundStatus.routed.rawValue), message_id = \(messageId), failure = NULL,
                    routed_at = \(now) WHERE id = \(routing.requestId)
                    """)
            }
            if due { try await session.notify(.deliveriesDue) }
            try await session.appendEvents(events)
        }
    }
}
