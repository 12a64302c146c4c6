import Foundation
import GRDB
import HooklineCore

extension SQLiteStore {
    /// Inserts a `skipped` delivery row for each disabled endpoint the message would have gone to.
    ///
    /// The rows are not active (never claimed); `recover` and `resend` make them pending again.
    static func insertSkippedDeliveries(_ db: Database, _ item: NewMessage, updatedAt: Int64) throws {
        guard !item.skippedEndpointIds.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO delivery (message_id, endpoint_id, app_id, state, attempts, next_attempt_at, claim_token, updated_at)
                VALUES (?, ?, ?, ?, 0, ?, 0, ?)
                """)
        for endpointId in item.skippedEndpointIds {
            try insert.execute(arguments: [
                item.message.id, endpointId, item.message.appId, DeliveryState.skipped.rawValue, item.deliverAt.millisecondsSince1970,
                updatedAt,
            ])
        }
    }
}
