import Foundation

/// The store operations behind the Svix calls added for parity (see `StoreConformance+Parity`): event type
/// archive and expunge, one attempt by id, content expunging, and the messages routed to an endpoint.
public protocol SvixParityStore: Sendable {
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
public struct EndpointMessage: Sendable, Equatable {
    /// The message.
    public var message: Message
    /// Its delivery to the endpoint.
    public var delivery: Delivery

    /// Pairs a message with its delivery.
    public init(message: Message, delivery: Delivery) {
        self.message = message
        self.delivery = delivery
    }
}
