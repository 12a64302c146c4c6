import Foundation

/// One finished message of a seeded history: the message, its one delivery row's final state, its attempts and its events.
public struct SeededMessage: Sendable {
    /// The message as ingest would have stored it.
    public var message: Message
    /// The endpoint its one delivery row went to.
    public var endpointId: String
    /// The delivery row's final state (`succeeded` or `failed`).
    public var finalState: DeliveryState
    /// The attempts, oldest first; the last one's time is when the delivery row was last updated.
    public var attempts: [Attempt]
    /// The events the live path would have logged, oldest first (empty when the history is older than event retention).
    public var events: [EventDraft]

    /// Creates a seeded message.
    public init(message: Message, endpointId: String, finalState: DeliveryState, attempts: [Attempt], events: [EventDraft]) {
        self.message = message
        self.endpointId = endpointId
        self.finalState = finalState
        self.attempts = attempts
        self.events = events
    }
}

/// A store that can write finished history in bulk, for benchmarks and scale tests (never used by a serving node).
public protocol HistorySeeding: Sendable {
    /// Writes `batch` (messages, delivery rows, attempts, events) in one transaction.
    func seedHistory(_ batch: [SeededMessage]) async throws
}
