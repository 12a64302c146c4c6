import Foundation

/// Fresh delivery rows a message commit leases to this node in the same transaction ("claim at commit").
///
/// The rows are written as `sending` with this lease, so the engine can run them from memory at once;
/// the row stays the durable copy, and a crash only lets the lease lapse, after which a claim takes it again.
public struct CommitLease: Sendable {
    /// When the lease ends.
    public var until: Date
    /// For each message of the batch, the indexes into its `endpointIds` whose rows are leased.
    public var picks: [[Int]]

    /// Creates a lease grant.
    public init(until: Date, picks: [[Int]]) {
        self.until = until
        self.picks = picks
    }

    /// A grant that leases nothing.
    public static let none = CommitLease(until: .distantPast, picks: [])

    /// The endpoint indexes leased for message `item`.
    public func picks(for item: Int) -> [Int] {
        item < picks.count ? picks[item] : []
    }
}

/// What a message commit produced: one outcome per message, and the delivery rows it leased.
public struct InsertResult: Sendable {
    /// One delivery row leased at commit.
    public struct LeasedRow: Sendable, Equatable {
        /// The message's index in the batch.
        public var item: Int
        /// The index into that message's `endpointIds`.
        public var endpointIndex: Int
        /// The store-assigned delivery row id.
        public var deliveryId: Int64

        /// Creates a leased row.
        public init(item: Int, endpointIndex: Int, deliveryId: Int64) {
            self.item = item
            self.endpointIndex = endpointIndex
            self.deliveryId = deliveryId
        }
    }

    /// One outcome per message, in batch order.
    public var outcomes: [InsertOutcome]
    /// The rows leased to this node (claim token 1), in batch order.
    public var leased: [LeasedRow]

    /// Creates a result.
    public init(outcomes: [InsertOutcome], leased: [LeasedRow] = []) {
        self.outcomes = outcomes
        self.leased = leased
    }
}

extension HooklineStore {
    /// Commits like `insertMessages(_:)` and leases no row: the default for stores that cannot lease at commit.
    public func insertMessages(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult {
        InsertResult(outcomes: try await insertMessages(batch))
    }
}
