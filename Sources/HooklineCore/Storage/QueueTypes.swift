import Foundation

/// A message to commit together with the endpoints it goes to.
package struct NewMessage: Sendable {
    /// The message.
    package var message: Message
    /// The endpoints that receive it; one delivery row each.
    package var endpointIds: [String]
    /// When its deliveries are first due.
    package var deliverAt: Date
    /// Disabled endpoints that would receive it: their rows are stored as `skipped` for a later recover.
    package var skippedEndpointIds: [String]
    /// The endpoints of `endpointIds`, in the same order, when the caller has them: only then can the
    /// commit hand fresh deliveries to the engine in memory (see `DeliveryHandoff`).
    package var endpoints: [Endpoint]
    /// The application's throttle, which applies to endpoints that have none.
    package var applicationThrottleRate: Int?
    /// The response to keep under the request's idempotency key, committed in the same transaction as the
    /// message and only if the message is inserted (see `IdempotencyClaim`); a key that already keeps one is
    /// answered `keptResponse`.
    package var idempotency: IdempotencyRecord?
    /// The version of the application's routing it was routed with (`RoutingSnapshot.version`): a store that
    /// gave one inserts the message only if it is still current, else answers `staleRouting`; `nil` checks nothing.
    package var routingVersion: Int64?

    /// Creates a message to commit; by default no endpoint is skipped.
    package init(
        message: Message, endpointIds: [String], deliverAt: Date, skippedEndpointIds: [String] = [], endpoints: [Endpoint] = [],
        applicationThrottleRate: Int? = nil
    ) {
        self.message = message
        self.endpointIds = endpointIds
        self.deliverAt = deliverAt
        self.skippedEndpointIds = skippedEndpointIds
        self.endpoints = endpoints
        self.applicationThrottleRate = applicationThrottleRate
    }
}

/// What happened to one message of a committed batch.
package enum InsertOutcome: Sendable, Equatable {
    /// The message and its deliveries are durable.
    case inserted
    /// Another message of the application already has this event id.
    case duplicateEventId(existingId: String)
    /// Its `routingVersion` is no longer current (an endpoint or the application changed, or the application is
    /// gone): nothing was written; route it again from a fresh `routingSnapshot`.
    case staleRouting
    /// Its idempotency key already keeps an unexpired response (an earlier request with the key committed): nothing
    /// was written; that response is the answer. Stores read the key in the transaction that would insert the message.
    case keptResponse(IdempotentResponse)
}

/// An application with every endpoint of it, read together for routing a new message.
package struct RoutingSnapshot: Sendable {
    /// The application.
    package var application: Application
    /// All of its endpoints.
    package var endpoints: [Endpoint]
    /// The version these were read at, which the store checks when the message commits; `nil`: no check.
    package var version: Int64?

    /// Creates a snapshot.
    package init(application: Application, endpoints: [Endpoint], version: Int64? = nil) {
        self.application = application
        self.endpoints = endpoints
        self.version = version
    }
}

extension HooklineStore {
    /// The application and its endpoints read fresh, unversioned (for stores without a routing cache).
    package func routingSnapshot(_ appIdOrUid: String) async throws -> RoutingSnapshot? {
        guard let application = try await application(appIdOrUid) else { return nil }
        return RoutingSnapshot(application: application, endpoints: try await allEndpoints(appId: application.id))
    }
}

/// A request to lease due deliveries.
package struct ClaimRequest: Sendable {
    /// The current time; rows due at or before it are claimable.
    package var now: Date
    /// The most rows to lease.
    package var limit: Int
    /// When the lease ends and the row becomes due again.
    package var leaseUntil: Date
    /// The most deliveries of one endpoint in flight (leased, lease not expired) after the claim;
    /// `nil` caps an endpoint at `limit` per claim only. Either way the batch is shared fairly across
    /// endpoints with due work (see `ClaimSelector`), and an ordered endpoint never has more than one.
    package var perEndpointLimit: Int?
    /// This node's own count of deliveries in flight per endpoint (requests not yet answered). A store that
    /// serves one process counts these against `perEndpointLimit` instead of its leased rows, which also hold
    /// attempts already answered whose outcome is not yet recorded; a shared store counts leased rows.
    package var inFlightByEndpoint: [String: Int]?

    /// Creates a claim request.
    package init(now: Date, limit: Int, leaseUntil: Date, perEndpointLimit: Int? = nil, inFlightByEndpoint: [String: Int]? = nil) {
        self.now = now
        self.limit = limit
        self.leaseUntil = leaseUntil
        self.perEndpointLimit = perEndpointLimit
        self.inFlightByEndpoint = inFlightByEndpoint
    }
}

/// A leased delivery with everything needed to send it.
package struct ClaimedDelivery: Sendable {
    /// The delivery row as claimed.
    package var delivery: Delivery
    /// Proves the lease when completing; a stale token's completion changes nothing.
    package var claimToken: Int64
    /// The message.
    package var message: Message
    /// The endpoint, or `nil` when it was deleted.
    package var endpoint: Endpoint?
    /// The application's throttle, which applies when the endpoint has none.
    package var applicationThrottleRate: Int?

    /// Creates a claimed delivery.
    package init(delivery: Delivery, claimToken: Int64, message: Message, endpoint: Endpoint?) {
        self.delivery = delivery
        self.claimToken = claimToken
        self.message = message
        self.endpoint = endpoint
    }
}

/// Which attempts to list.
package struct AttemptQuery: Sendable {
    /// Attempts of this message, if set.
    package var messageId: String?
    /// Attempts to this endpoint, if set.
    package var endpointId: String?
    /// Attempts with this status, if set.
    package var status: AttemptStatus?
    /// Attempts whose response status is in this class (`2` for 2xx …; `0` for no response), if set.
    package var statusCodeClass: Int?
    /// What the attempts (times) and their messages (type, channel, tag) must match.
    package var filter: ListFilter
    /// The application they belong to.
    package var appId: String
    /// The slice to read.
    package var page: PageRequest

    /// Creates an attempt query.
    package init(
        appId: String, messageId: String? = nil, endpointId: String? = nil, status: AttemptStatus? = nil,
        statusCodeClass: Int? = nil, filter: ListFilter = ListFilter(), page: PageRequest = PageRequest()
    ) {
        self.appId = appId
        self.messageId = messageId
        self.endpointId = endpointId
        self.status = status
        self.statusCodeClass = statusCodeClass
        self.filter = filter
        self.page = page
    }
}

/// Fresh delivery rows a message commit leases to this node in the same transaction ("claim at commit").
///
/// The rows are written as `sending` with this lease, so the engine can run them from memory at once;
/// the row stays the durable copy, and a crash only lets the lease lapse, after which a claim takes it again.
package struct CommitLease: Sendable {
    /// When the lease ends.
    package var until: Date
    /// For each message of the batch, the indexes into its `endpointIds` whose rows are leased.
    package var picks: [[Int]]

    /// Creates a lease grant.
    package init(until: Date, picks: [[Int]]) {
        self.until = until
        self.picks = picks
    }

    /// A grant that leases nothing.
    package static let none = CommitLease(until: .distantPast, picks: [])

    /// The endpoint indexes leased for message `item`.
    package func picks(for item: Int) -> [Int] {
        item < picks.count ? picks[item] : []
    }
}

/// What a message commit produced: one outcome per message, and the delivery rows it leased.
package struct InsertResult: Sendable {
    /// One delivery row leased at commit.
    package struct LeasedRow: Sendable, Equatable {
        /// The message's index in the batch.
        package var item: Int
        /// The index into that message's `endpointIds`.
        package var endpointIndex: Int
        /// The store-assigned delivery row id.
        package var deliveryId: Int64

        /// Creates a leased row.
        package init(item: Int, endpointIndex: Int, deliveryId: Int64) {
            self.item = item
            self.endpointIndex = endpointIndex
            self.deliveryId = deliveryId
        }
    }

    /// One outcome per message, in batch order.
    package var outcomes: [InsertOutcome]
    /// The rows leased to this node (claim token 1), in batch order.
    package var leased: [LeasedRow]

    /// Creates a result.
    package init(outcomes: [InsertOutcome], leased: [LeasedRow] = []) {
        self.outcomes = outcomes
        self.leased = leased
    }

    /// Whether every delivery row `batch` created was leased at commit (none is left for a claim).
    package func leasedEveryRow(of batch: [NewMessage]) -> Bool {
        var rows = 0
        for (item, outcome) in zip(batch, outcomes) where outcome == .inserted { rows += item.endpointIds.count }
        return rows == leased.count
    }
}

extension HooklineStore {
    /// Commits like `insertMessages(_:)` and leases no row: the default for stores that cannot lease at commit.
    package func insertMessages(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult {
        InsertResult(outcomes: try await insertMessages(batch))
    }
}

/// How many active deliveries are in each part of the queue.
package struct QueueDepth: Sendable, Equatable {
    /// Pending and due now.
    package var due: Int
    /// Pending but due later (retries, `deliverAt`).
    package var scheduled: Int
    /// Leased by an engine.
    package var inFlight: Int

    /// Creates a depth reading.
    package init(due: Int, scheduled: Int, inFlight: Int) {
        self.due = due
        self.scheduled = scheduled
        self.inFlight = inFlight
    }
}
