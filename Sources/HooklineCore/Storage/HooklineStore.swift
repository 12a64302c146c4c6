import Foundation

/// Durable state of Hookline: resources, messages, the delivery queue and attempts.
///
/// Every implementation passes the shared conformance suite in `HooklineTesting`.
/// Times are passed in; a store never reads the clock.
package protocol HooklineStore: PortalTokenStore, SvixParityStore {
    /// Inserts an application; throws `conflict` when its uid is taken.
    func insertApplication(_ application: Application) async throws
    /// The application with this id or uid.
    func application(_ idOrUid: String) async throws -> Application?
    /// A page of applications, newest first.
    func applications(_ page: PageRequest) async throws -> Page<Application>
    /// Replaces an application; throws `conflict` when its uid is taken.
    func updateApplication(_ application: Application) async throws
    /// Deletes an application with its endpoints, messages, deliveries and attempts.
    func deleteApplication(id: String) async throws

    /// Inserts an endpoint; throws `conflict` when its uid is taken in the application.
    func insertEndpoint(_ endpoint: Endpoint) async throws
    /// The endpoint of `appId` with this id or uid.
    func endpoint(appId: String, idOrUid: String) async throws -> Endpoint?
    /// A page of an application's endpoints, newest first.
    func endpoints(appId: String, page: PageRequest) async throws -> Page<Endpoint>
    /// Every endpoint of an application, for routing.
    func allEndpoints(appId: String) async throws -> [Endpoint]
    /// The application with this id or uid and all its endpoints, for routing a new message (may be cached:
    /// see `RoutingSnapshot.version`); `nil` when there is no such application.
    func routingSnapshot(_ appIdOrUid: String) async throws -> RoutingSnapshot?
    /// Replaces an endpoint; throws `conflict` when its uid is taken.
    func updateEndpoint(_ endpoint: Endpoint) async throws
    /// Deletes an endpoint and cancels its active deliveries.
    func deleteEndpoint(appId: String, id: String, now: Date) async throws

    /// Inserts or replaces an event type.
    func upsertEventType(_ eventType: EventType) async throws
    /// The event type with this name.
    func eventType(named name: String) async throws -> EventType?

    /// Commits messages with their delivery rows in ONE durable transaction.
    func insertMessages(_ batch: [NewMessage]) async throws -> [InsertOutcome]
    /// Commits like `insertMessages(_:)` and also leases the rows `lease` picks to this node (claim at commit).
    func insertMessages(_ batch: [NewMessage], lease: CommitLease) async throws -> InsertResult
    /// The message of `appId` with this id, or else with this event id (Svix addresses messages by either).
    func message(appId: String, id: String) async throws -> Message?
    /// A page of an application's messages matching `query.filter`, newest first.
    func messages(_ query: MessageQuery) async throws -> Page<Message>

    /// Leases up to `request.limit` due deliveries (pending, or sending with an expired lease).
    func claimDeliveries(_ request: ClaimRequest) async throws -> [ClaimedDelivery]
    /// Persists a completion plan in one transaction: its attempts, its guarded moves, the endpoints'
    /// failure streaks, and what `plan.resolve` decides from the moves that applied and the inspected
    /// endpoints' standing (disables, events). See `CompletionPlan` for the steps.
    func completeDeliveries(_ plan: CompletionPlan) async throws
    /// When the earliest active delivery becomes due, or `nil` when none is active.
    func nextDueTime() async throws -> Date?
    /// The earliest due time later than `now` of an active delivery (a lease expiry, a retry), or `nil`.
    /// After a claim at `now` found nothing, this is when claiming can next find work without a wake-up
    /// (due rows held back by an ordered endpoint's head or a full endpoint wait for a completion).
    func nextDueTime(after now: Date) async throws -> Date?
    /// The delivery rows of a message.
    func deliveries(messageId: String) async throws -> [Delivery]
    /// How many active deliveries are due, scheduled and in flight at `now`.
    func queueDepth(now: Date) async throws -> QueueDepth

    /// Empties the payloads of up to `limit` finished messages created before `cutoff`, keeping their size.
    func purgePayloads(createdBefore cutoff: Date, limit: Int, now: Date) async throws -> Int
    /// Empties the response bodies of up to `limit` attempts made before `cutoff`.
    func purgeAttemptResponses(before cutoff: Date, limit: Int) async throws -> Int
    /// Deletes up to `limit` messages created before `cutoff` whose deliveries are all finished, with their deliveries and
    /// attempts (oldest first, one short transaction); returns how many messages went. See `StoreConformance.messagePurge`.
    func purgeMessages(before cutoff: Date, limit: Int) async throws -> Int
    /// Deletes up to `limit` inbound requests received before `cutoff` that are not pending (oldest first, one short
    /// transaction), with their dedup keys once expired; returns how many requests went. See `StoreConformance.inboundPurge`.
    func purgeInboundRequests(before cutoff: Date, limit: Int) async throws -> Int
    /// What purging at `cutoff` would remove.
    func retentionCandidates(cutoff: Date) async throws -> RetentionSummary
    /// What deleting the history before `cutoff` would remove: the messages `purgeMessages` and the inbound requests
    /// `purgeInboundRequests` would delete (`messages` and `inboundRequests`; the other counts are zero).
    func historyCandidates(before cutoff: Date) async throws -> RetentionSummary

    /// A page of attempts, newest first.
    func attempts(_ query: AttemptQuery) async throws -> Page<Attempt>

    // Management (see StoreConformance+Management).

    /// Keeps a replayable response under its key, replacing an expired record with the same key.
    func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws
    /// The record for `key` that has not expired at `now`.
    func idempotencyRecord(key: String, now: Date) async throws -> IdempotencyRecord?
    /// Deletes the records expired at `now`; returns how many.
    func deleteIdempotencyRecords(expiredBy now: Date) async throws -> Int

    /// Makes the delivery of a message to an endpoint due now as a manual attempt, creating the row if
    /// there is none; a delivery in flight is left alone.
    func resendDelivery(_ request: ResendRequest) async throws
    /// Re-queues (due now, manual) up to `batch.limit` failed and skipped deliveries of an endpoint in message order.
    func recoverDeliveries(_ batch: RecoverBatch) async throws -> RecoverBatchResult
    /// An endpoint's deliveries by state, for messages created in `[since, until)`.
    func deliveryCounts(endpointId: String, since: Date?, until: Date?) async throws -> DeliveryCounts

    /// Inserts a background task.
    func insertTask(_ task: BackgroundTask) async throws
    /// Replaces a background task.
    func updateTask(_ task: BackgroundTask) async throws
    /// The background task with this id.
    func task(id: String) async throws -> BackgroundTask?
    /// Every task still running, oldest first.
    func runningTasks() async throws -> [BackgroundTask]

    // Event log (see StoreConformance+Events). State changes append their events in their own transaction.

    /// Appends events in one transaction; ids increase in commit order.
    func appendEvents(_ drafts: [EventDraft]) async throws
    /// Up to `limit` events with an id greater than `id`, in id order.
    func events(after id: Int64, limit: Int) async throws -> [StreamEvent]
    /// The oldest id kept and the largest id ever assigned.
    func eventLogBounds() async throws -> EventLogBounds
    /// Deletes up to `limit` of the oldest events created before `cutoff`; returns how many.
    func deleteEvents(before cutoff: Date, limit: Int) async throws -> Int
    /// The newest event of `kind`, if any.
    func latestEvent(kind: EventKind) async throws -> StreamEvent?
    /// Event counts by kind and success latency percentiles for events created at or after `since`.
    func eventStatistics(since: Date) async throws -> EventStatistics
    /// Up to `limit` events created at or after `since` with an id greater than `id` (from the window's first event when
    /// `id` is `nil`), in id order, as the status tally reads them (`EventWindow`).
    func tallyEntries(after id: Int64?, since: Date, limit: Int) async throws -> [EventTally.Entry]
    /// Up to `limit` disabled endpoints, across applications.
    func disabledEndpoints(limit: Int) async throws -> [Endpoint]

    // Inbound gateway (see StoreConformance+Inbound).

    /// Inserts a source; throws `conflict` when its uid is taken.
    func insertSource(_ source: Source) async throws
    /// The source with this id or uid.
    func source(_ idOrUid: String) async throws -> Source?
    /// A page of sources, newest first.
    func sources(_ page: PageRequest) async throws -> Page<Source>
    /// Replaces a source; throws `conflict` when its uid is taken.
    func updateSource(_ source: Source) async throws
    /// Deletes a source with its stored requests.
    func deleteSource(id: String) async throws
    /// Stores inbound requests in ONE durable transaction; a dedup key seen within its window makes a duplicate.
    func insertInboundRequests(_ batch: [InboundRecord]) async throws -> [InboundInsertOutcome]
    /// Up to `limit` pending inbound requests, oldest first.
    func pendingInboundRequests(limit: Int) async throws -> [InboundRecord]
    /// Inserts each routed request's message and deliveries and marks it routed (or failed), in one transaction;
    /// a request no longer pending is skipped.
    func routeInboundRequests(_ routings: [InboundRouting]) async throws
    /// A page of a source's requests, newest first, optionally only those with `status`.
    func inboundRequests(sourceId: String, status: InboundStatus?, page: PageRequest) async throws -> Page<InboundRecord>
    /// The request `id` of a source.
    func inboundRequest(sourceId: String, id: String) async throws -> InboundRecord?
    /// Makes a routed, duplicate or failed request pending again (a replay); returns whether it changed.
    func requeueInboundRequest(id: String) async throws -> Bool

    // Cluster coordination (see StoreConformance+Cluster).

    /// Takes or renews `lease` when it is free, lapsed or already held by its holder; returns whether the holder now has it.
    func acquireLease(_ lease: ClusterLease) async throws -> Bool
    /// The leases whose name starts with `prefix` and that have not lapsed at `now`, by name.
    func activeLeases(prefix: String, now: Date) async throws -> [ClusterLease]

    // Checkpoints (see StoreConformance+Disable): durable cursors of services that tail the event log.

    /// The value last saved under `name` (e.g. the last event id the operational forwarder handled), if any.
    func checkpoint(named name: String) async throws -> Int64?
    /// Saves `value` under `name`, replacing what was there.
    func saveCheckpoint(named name: String, value: Int64, now: Date) async throws
}

extension HooklineStore {
    /// A page of an application's messages, newest first, unfiltered.
    package func messages(appId: String, page: PageRequest) async throws -> Page<Message> {
        try await messages(MessageQuery(appId: appId, page: page))
    }

    /// Records outcomes, in this order, in one transaction (the plan of `outcomes`).
    package func completeDeliveries(_ outcomes: [DeliveryOutcome]) async throws {
        try await completeDeliveries(CompletionPlan(outcomes))
    }
}

extension HooklineStore {
    /// A fallback for stores without a precise query: the earliest due time when it lies after `now`,
    /// else `nil` (the engine then waits for a wake-up or its idle poll).
    package func nextDueTime(after now: Date) async throws -> Date? {
        guard let due = try await nextDueTime(), due > now else { return nil }
        return due
    }
}

/// Durable tenant-portal tokens, shared by every node of a cluster (see StoreConformance+PortalTokens).
package protocol PortalTokenStore: Sendable {
    /// Inserts a token record.
    func insertPortalToken(_ token: PortalToken) async throws
    /// The token record with this digest, usable or not.
    func portalToken(digest: String) async throws -> PortalToken?
    /// Marks the token revoked at `now`; returns whether it was usable until then.
    func revokePortalToken(digest: String, now: Date) async throws -> Bool
    /// Makes an application's tokens (only those of `sessionIds`, when given) expire at `cutoff` at the latest; returns how many changed.
    func expirePortalTokens(appId: String, sessionIds: [String]?, at cutoff: Date) async throws -> Int
    /// Deletes the records that expired before `cutoff`; returns how many.
    func deletePortalTokens(expiredBefore cutoff: Date) async throws -> Int
}

/// The store operations behind the Svix calls added for parity (see `StoreConformance+Parity`): event type
/// archive and expunge, one attempt by id, content expunging, and the messages routed to an endpoint.
package protocol SvixParityStore: Sendable {
    /// Deletes the event type with this name for good (Svix `?expunge=true`); returns whether it existed.
    func deleteEventType(named name: String) async throws -> Bool
    /// A page of event types by name; archived ones only when `includeArchived`.
    func eventTypes(_ page: PageRequest, includeArchived: Bool) async throws -> Page<EventType>
    /// The attempt `id` made for message `messageId` of application `appId`.
    func attempt(appId: String, messageId: String, id: String) async throws -> Attempt?
    /// Removes a message's payload bytes (keeping their size) and cancels its unfinished deliveries, with the
    /// events `EventDraft.contentExpunged` builds, in one transaction; returns whether the message exists.
    func expungeMessageContent(appId: String, messageId: String, now: Date) async throws -> Bool
    /// Removes an attempt's response body, with its `attempt.expunged` event; returns whether the attempt exists.
    func expungeAttemptContent(appId: String, messageId: String, attemptId: String, now: Date) async throws -> Bool
    /// A page of the messages routed to `endpointId` that match `query` (newest first), each with its delivery row
    /// to that endpoint; `query.deliveryState` filters on that row.
    func endpointMessages(_ query: MessageQuery, endpointId: String) async throws -> Page<EndpointMessage>
}

/// A message with its delivery row to one endpoint.
package struct EndpointMessage: Sendable, Equatable {
    /// The message.
    package var message: Message
    /// Its delivery to the endpoint.
    package var delivery: Delivery

    /// Pairs a message with its delivery.
    package init(message: Message, delivery: Delivery) {
        self.message = message
        self.delivery = delivery
    }
}
