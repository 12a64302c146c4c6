import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Persists a completion plan in one transaction (without its own fsync: see `writeRelaxed`), with cached statements: the attempts, the guarded
    /// moves (a stale lease moves nothing), the inspected endpoints' standing (read before any endpoint row
    /// changes), the coalesced failure streaks, then what `plan.resolve` decides: disables and events.
    public func completeDeliveries(_ plan: CompletionPlan) async throws {
        guard !plan.isEmpty else { return }
        try await writeRelaxed { db in
            try Self.insertAttempts(db, plan.attempts)
            let moved = try Self.applyMoves(db, plan.moves)
            let standings = try Self.standings(db, of: plan.inspectedEndpoints)
            try Self.applyStreaks(db, plan.streaks)
            let resolution = plan.resolve(moved: moved, standings: standings)
            try Self.disableEndpoints(db, resolution.disables)
            try Self.insertEvents(db, resolution.events)
        }
    }

    /// Inserts attempt rows.
    private static func insertAttempts(_ db: Database, _ attempts: [Attempt]) throws {
        guard !attempts.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO attempt (id, message_id, endpoint_id, app_id, url, status_code, response, duration_ms, status,
                trigger_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for attempt in attempts {
            try insert.execute(arguments: [
                attempt.id, attempt.messageId, attempt.endpointId, attempt.appId, attempt.url, attempt.responseStatusCode,
                attempt.response, attempt.durationMs, attempt.status.rawValue, attempt.trigger.rawValue,
                attempt.timestamp.millisecondsSince1970,
            ])
        }
    }

    /// Applies the guarded moves; returns the indices of those that changed their row.
    private static func applyMoves(_ db: Database, _ moves: [CompletionPlan.Move]) throws -> Set<Int> {
        let update = try db.cachedStatement(
            sql: """
                UPDATE delivery SET state = ?, attempts = attempts + ?, next_attempt_at = ?, updated_at = ?,
                manual = CASE WHEN ? = 1 THEN 0 ELSE manual END
                WHERE id = ? AND claim_token = ?
                """)
        var moved = Set<Int>()
        for (index, move) in moves.enumerated() {
            let attempted = move.attempted ? 1 : 0
            try update.execute(arguments: [
                move.state.rawValue, attempted, move.nextAttemptAt.millisecondsSince1970, move.updatedAt.millisecondsSince1970,
                attempted, move.deliveryId, move.claimToken,
            ])
            if db.changesCount > 0 { moved.insert(index) }
        }
        return moved
    }

    /// The stored standing of the endpoints that still exist among `endpointIds`.
    private static func standings(_ db: Database, of endpointIds: [String]) throws -> [String: EndpointStanding] {
        guard !endpointIds.isEmpty else { return [:] }
        let select = try db.cachedStatement(sql: "SELECT failing_since, disabled FROM endpoint WHERE id = ?")
        var standings: [String: EndpointStanding] = [:]
        for id in endpointIds {
            guard let row = try Row.fetchOne(select, arguments: [id]) else { continue }
            standings[id] = EndpointStanding(
                failingSince: (row["failing_since"] as Int64?).map(Date.init(millisecondsSince1970:)), disabled: row["disabled"])
        }
        return standings
    }

    /// Applies each endpoint's failure-streak change, writing only rows whose `failing_since` changes.
    private static func applyStreaks(_ db: Database, _ changes: [CompletionPlan.StreakChange]) throws {
        for change in changes {
            switch change.effect {
            case .clear:
                try db.cachedStatement(sql: "UPDATE endpoint SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL")
                    .execute(arguments: [change.endpointId])
            case .startIfUnset(let time):
                try db.cachedStatement(sql: "UPDATE endpoint SET failing_since = ? WHERE id = ? AND failing_since IS NULL")
                    .execute(arguments: [time.millisecondsSince1970, change.endpointId])
            case .set(let time):
                try db.cachedStatement(sql: "UPDATE endpoint SET failing_since = ?1 WHERE id = ?2 AND failing_since IS NOT ?1")
                    .execute(arguments: [time.millisecondsSince1970, change.endpointId])
            }
        }
    }

    /// Disables endpoints as the plan resolved (each is enabled as read in this transaction).
    private static func disableEndpoints(_ db: Database, _ disables: [CompletionResolution.Disable]) throws {
        for disable in disables {
            try db.cachedStatement(sql: "UPDATE endpoint SET disabled = 1, updated_at = ? WHERE id = ? AND disabled = 0")
                .execute(arguments: [disable.at.millisecondsSince1970, disable.endpointId])
        }
    }
}
