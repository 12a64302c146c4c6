import Foundation

/// Durable state of Hookline: resources, messages, the delivery queue and attempts.
///
/// Every implementation passes the shared conformance suite in `HooklineTesting`.
/// Times are passed in; a store never reads the clock.
public protocol HooklineStore: Sendable {
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
    /// A page of event types, by name.
    func eventTypes(_ page: PageRequest) async throws -> Page<EventType>

    /// Commits messages with their delivery rows in ONE durable transaction.
    func insertMessages(_ batch: [NewMessage]) async throws -> [InsertOutcome]
    /// The message `id` of `appId`.
    func message(appId: String, id: String) async throws -> Message?
    /// A page of an application's messages, newest first.
    func messages(appId: String, page: PageRequest) async throws -> Page<Message>

    /// Leases up to `request.limit` due deliveries (pending, or sending with an expired lease).
    func claimDeliveries(_ request: ClaimRequest) async throws -> [ClaimedDelivery]
    /// Records attempts and moves deliveries to their next state, in one transaction.
    func completeDeliveries(_ outcomes: [DeliveryOutcome]) async throws
    /// When the earliest active delivery becomes due, or `nil` when none is active.
    func nextDueTime() async throws -> Date?
    /// The delivery rows of a message.
    func deliveries(messageId: String) async throws -> [Delivery]

    /// A page of attempts, newest first.
    func attempts(_ query: AttemptQuery) async throws -> Page<Attempt>
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
    /// Whether this is the last slice.
    public var done: Bool

    /// Creates a page.
    public init(items: [Item], iterator: String?, done: Bool) {
        self.items = items
        self.iterator = iterator
        self.done = done
    }

    /// Builds a page from up to `limit + 1` fetched items, using `id` for the iterator.
    public init(fetched: [Item], limit: Int, id: (Item) -> String) {
        let done = fetched.count <= limit
        let items = Array(fetched.prefix(limit))
        self.init(items: items, iterator: items.last.map(id), done: done)
    }
}
