import Foundation
import HooklineCore
import PostgresNIO

extension PostgresStore {
    /// Commits messages and their delivery rows in one transaction, with their events and a `deliveries` notification.
    public func insertMessages(_ batch: [NewMessage]) async throws -> [InsertOutcome] {
        try await insertMessages(batch, lease: .none).outcomes
    }

    /// Commits messages and their delivery rows in one transaction, with their `message.created` events; the rows
    /// `lease` picks are written already leased (`sending`, claim token 1, due again when the lease ends) and
    /// returned, the others wake every node with a `deliveries` notification.
    ///
    /// A message whose event id the application already has, or that an earlier message of the batch has (the
    /// first wins), is not inserted and reports that message's id. An inserted message's idempotency record is
    /// kept in the same transaction. See `commitIngest` for the statements.
    public func insertMessages(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult {
        guard !batch.isEmpty else { return InsertResult(outcomes: []) }
        return try await commitIngest(batch, lease: lease)
    }

    /// The message of `appId` with this id, or else with this event id.
    public func message(appId: String, id: String) async throws -> Message? {
        try await reading { session in
            try await session.first(
                """
                SELECT * FROM message WHERE app_id = \(appId) AND (id = \(id) OR event_id = \(id))
                ORDER BY id = \(id) DESC LIMIT 1
                """
            ).map(Message.init(pg:))
        }
    }

    /// A page of an application's messages matching the query's filter, newest first.
    public func messages(_ query: MessageQuery) async throws -> Page<Message> {
        var list = PostgresListQuery(from: "message")
        try list.filter("app_id = ?", query.appId)
        try list.filter(query.filter, messageColumn: "id")
        if let state = query.deliveryState {
            let states = state.matchingStoredStates.map(\.rawValue)
            try list.filter("id IN (SELECT message_id FROM delivery WHERE app_id = ? AND state = ANY(?::int8[]))", query.appId, states)
        }
        return try await reading { [list] session in
            try await list.page(query.page, in: session, id: \.id, decode: Message.init(pg:))
        }
    }
}

extension PostgresStore {
    /// Commits `batch` with two statements plus the event append: one inserts every message and delivery row (the
    /// rows `lease` picks leased), the other runs only when a duplicate event id committed concurrently.
    func commitIngest(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult {
        let rows = PostgresIngestRows(batch, lease: lease)
        return try await writing { session in
            var write = try await session.insertIngestRows(rows)
            try await session.resolveLateDuplicates(&write, rows: rows)
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(batch.count)
            var ordinals: [Int: Int64] = [:]
            for (offset, index) in rows.items.enumerated() { ordinals[index] = Int64(offset + 1) }
            var events: [EventDraft] = []
            for (index, item) in batch.enumerated() {
                if let first = rows.repeats[index] {
                    // The batch's first message with this event id decided already: the same owner, or that message.
                    switch outcomes[first] {
                    case .inserted: outcomes.append(.duplicateEventId(existingId: batch[first].message.id))
                    case .duplicateEventId(let existing): outcomes.append(.duplicateEventId(existingId: existing))
                    }
                } else if let ordinal = ordinals[index], let existing = write.notInserted[ordinal] {
                    outcomes.append(.duplicateEventId(existingId: existing ?? item.message.id))
                } else {
                    outcomes.append(.inserted)
                    events.append(.messageCreated(item.message, endpointCount: item.endpointIds.count, skipped: item.skippedEndpointIds.count))
                }
            }
            try await session.keepIdempotencyRecords(zip(batch, outcomes).compactMap { $1 == .inserted ? $0.idempotency : nil })
            try await session.appendEvents(events)
            return InsertResult(outcomes: outcomes, leased: Self.leasedRows(write.leased, of: batch, rows: rows, lease: lease))
        }
    }

    /// Maps leased rows back to (message index, endpoint index), in batch order; an endpoint picked twice for one
    /// message (never expected) maps its rows to its picked positions in turn.
    private static func leasedRows(
        _ leased: [(messageId: String, endpointId: String, deliveryId: Int64)], of batch: [NewMessage], rows: PostgresIngestRows,
        lease: CommitLease
    ) -> [InsertResult.LeasedRow] {
        guard !leased.isEmpty else { return [] }
        var items: [String: Int] = [:]
        for index in rows.items { items[batch[index].message.id] = index }
        var taken: [String: [Int]] = [:]
        var result: [InsertResult.LeasedRow] = []
        result.reserveCapacity(leased.count)
        for row in leased {
            guard let item = items[row.messageId] else { continue }
            let key = row.messageId + "\u{0}" + row.endpointId
            let used = taken[key, default: []]
            let endpointIds = batch[item].endpointIds
            let picked = lease.picks(for: item).sorted().filter { endpointIds.indices.contains($0) && endpointIds[$0] == row.endpointId }
            guard let endpointIndex = picked.first(where: { !used.contains($0) }) else { continue }
            taken[key, default: []].append(endpointIndex)
            result.append(.init(item: item, endpointIndex: endpointIndex, deliveryId: row.deliveryId))
        }
        return result.sorted { ($0.item, $0.endpointIndex) < ($1.item, $1.endpointIndex) }
    }
}
