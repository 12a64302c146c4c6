import GRDB
import HooklineCore

extension SQLiteListQuery {
    /// Keeps the messages with a delivery row in `state` (to `endpointId`, when given), found as `DeliveryStateLookup`
    /// decides: when few rows match, through `delivery_endpoint` (endpoint, state) or, for a whole application's failed
    /// rows, `delivery_failed`; else by a newest-first walk of the application's messages that checks each one's rows on
    /// `delivery_message`.
    mutating func onlyDelivered(in state: DeliveryState, appId: String, endpointId: String?, db: Database) throws {
        let states = state.matchingStoredStates.map { String($0.rawValue) }.joined(separator: ", ")
        let matching: (sql: String, argument: String)? =
            if let endpointId {
                ("FROM delivery WHERE endpoint_id = ? AND state IN (\(states))", endpointId)
            } else {
                switch DeliveryStateLookup.applicationRows(in: state) {
                case .currentEndpoints:
                    ("FROM delivery WHERE endpoint_id IN (SELECT id FROM endpoint WHERE app_id = ?) AND state IN (\(states))", appId)
                case .failedIndex: ("FROM delivery WHERE app_id = ? AND \(DeliveryStateLookup.ApplicationRows.failedPredicate)", appId)
                case nil: nil
                }
            }
        if let matching {
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM (SELECT 1 \(matching.sql) LIMIT \(DeliveryStateLookup.matchingRowLimit))",
                    arguments: [matching.argument]) ?? 0
            if DeliveryStateLookup(matching: count) == .matchingRows {
                filter("id IN (SELECT message_id \(matching.sql))", [matching.argument])
                return
            }
        }
        // Correlated, so the walk of `message_app` stops after a page; `+` keeps each lookup on `delivery_message` (a
        // message's few rows), not on an endpoint's whole history in `delivery_endpoint`.
        if let endpointId {
            filter(
                "EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND +d.endpoint_id = ? AND +d.state IN (\(states)))", [endpointId])
        } else {
            filter("EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = message.id AND d.state IN (\(states)))")
        }
    }
}
