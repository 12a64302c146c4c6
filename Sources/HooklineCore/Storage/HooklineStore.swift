import Foundation

/// Durable state of Hookline: resources, messages, the delivery queue and attempts.
///
/// Every implementation passes the shared conformance suite in `HooklineTesting`.
/// Times are passed in; a store never reads the clock.
public protocol HooklineStore: PortalTokenStore, SvixParityStore {
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
    /// What purging at `cutoff` would remove.
    func retentionCandidates(cutoff: Date) async throws -> RetentionSummary

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

/// Which slice of a list to read.
public struct PageRequest: Sendable, Equatable {
    /// The most items to return.
    public var limit: Int
    /// Return items after this id (exclusive), in list order.
    public var iterator: String?

    /// Creates a page request; by default the first 50 items.
    public init(limit: Int = 50, iterator: String? = nil) {
        self.limit = limit
        self.iterator = iterator
    }
}

/// A slice of a list and where the next one starts.
public struct Page<Item: Sendable>: Sendable {
    /// The items.
    public var items: [Item]
    /// Pass as `PageRequest.iterator` for the next slice; `nil` when there is none.
    public var iterator: String?
    /// Whether this is the last slice in the direction travelled.
    public var done: Bool
    /// Pass as `PageRequest.iterator` for the slice before this one (`-` + the first id); `nil` when empty.
    public var prevIterator: String?

    /// Creates a page.
    public init(items: [Item], iterator: String?, done: Bool, prevIterator: String? = nil) {
        self.items = items
        self.iterator = iterator
        self.done = done
        self.prevIterator = prevIterator
    }

    /// Builds a page from up to `limit + 1` fetched items (in travel order), using `id` for the iterators.
    ///
    /// A backward page was fetched in reverse list order; its items are put back in list order.
    public init(fetched: [Item], limit: Int, backward: Bool = false, id: (Item) -> String) {
        let done = fetched.count <= limit
        var items = Array(fetched.prefix(limit))
        if backward { items.reverse() }
        self.init(items: items, iterator: items.last.map(id), done: done, prevIterator: items.first.map { "-" + id($0) })
    }
}
