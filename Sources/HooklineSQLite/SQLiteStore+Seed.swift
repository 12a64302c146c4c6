import Foundation
import GRDB
import HooklineCore

extension SQLiteStore: HistorySeeding {
    /// Writes a batch of finished history in one transaction, with the same columns the live path writes.
    ///
    /// The transaction commits without fsync (`synchronous=OFF`: a seed is rebuilt, not recovered, after a power cut),
    /// and the writer keeps 256 MiB of pages in memory while it runs.
    public func seedHistory(_ batch: [SeededMessage]) async throws {
        guard !batch.isEmpty else { return }
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
            defer { try? db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000") }
            try db.inTransaction(.immediate) {
                try Self.writeSeed(db, batch)
                return .commit
            }
        }
    }

    private static func writeSeed(_ db: Database, _ batch: [SeededMessage]) throws {
        let insertMessage = try db.cachedStatement(
            sql: """
                INSERT INTO message (id, app_id, event_type, event_id, payload, channels, tags, created_at, priority, content_type,
                correlation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)
                """)
        let insertDelivery = try db.cachedStatement(
            sql: """
                INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at, priority)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                """)
        let insertAttempt = try db.cachedStatement(
            sql: """
                INSERT INTO attempt (id, message_id, endpoint_id, app_id, url, status_code, response, duration_ms, status,
                trigger_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var events: [EventDraft] = []
        for item in batch {
            let message = item.message
            let priority = PriorityLane(clamping: message.priority).level
            let created = message.createdAt.millisecondsSince1970
            try insertMessage.execute(arguments: [
                message.id, message.appId, message.eventType, message.eventId, message.payload, JSONColumn.encode(message.channels),
                JSONColumn.encode(message.tags), created, priority,
            ])
            let finished = item.attempts.last?.timestamp.millisecondsSince1970 ?? created
            try insertDelivery.execute(arguments: [
                message.id, item.endpointId, message.appId, item.finalState.rawValue, item.attempts.count, finished, finished, priority,
            ])
            for attempt in item.attempts {
                try insertAttempt.execute(arguments: [
                    attempt.id, attempt.messageId, attempt.endpointId, attempt.appId, attempt.url, attempt.responseStatusCode,
                    attempt.response, attempt.durationMs, attempt.status.rawValue, attempt.trigger.rawValue,
                    attempt.timestamp.millisecondsSince1970,
                ])
            }
            events += item.events
        }
        events.sort { $0.createdAt < $1.createdAt }
        try insertEvents(db, events)
    }
}
