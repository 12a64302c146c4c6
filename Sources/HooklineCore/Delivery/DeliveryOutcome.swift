import Foundation

/// The result of working one claimed delivery.
package struct DeliveryOutcome: Sendable {
    /// Where the delivery goes next.
    package enum Next: Sendable, Equatable {
        /// Delivered.
        case succeeded
        /// Try again at this time.
        case retry(at: Date)
        /// Exhausted: dead letter.
        case failed
        /// The endpoint is gone.
        case canceled
        /// The endpoint is disabled: kept as `skipped` until a recover or resend.
        case skipped
    }

    /// Whether it puts the delivery back in the queue (a retry or a deferral).
    package var schedulesRetry: Bool {
        if case .retry = next { return true }
        return false
    }

    /// The delivery row.
    package var deliveryId: Int64
    /// The lease token from the claim.
    package var claimToken: Int64
    /// The claimed delivery and message facts its completion reports (so no store reads the message row).
    package var subject: CompletionSubject
    /// The attempt made, if one was.
    package var attempt: Attempt?
    /// The next state.
    package var next: Next
    /// When the outcome was decided.
    package var now: Date
    /// Whether the receiver asked for its endpoint to be disabled (410 Gone).
    package var disablesEndpoint: Bool
    /// For an exhausting outcome: the endpoint is disabled when it has been failing at least this long
    /// (see `AutoDisablePolicy`); `nil` never disables.
    package var autoDisableAfter: Duration?

    /// Creates an outcome.
    package init(
        deliveryId: Int64, claimToken: Int64, subject: CompletionSubject, attempt: Attempt?, next: Next, now: Date,
        disablesEndpoint: Bool = false, autoDisableAfter: Duration? = nil
    ) {
        self.deliveryId = deliveryId
        self.claimToken = claimToken
        self.subject = subject
        self.attempt = attempt
        self.next = next
        self.now = now
        self.disablesEndpoint = disablesEndpoint
        self.autoDisableAfter = autoDisableAfter
    }

    /// Creates the outcome of working `claimed`: its row, lease token and message facts come from the claim.
    package init(
        claimed: ClaimedDelivery, attempt: Attempt?, next: Next, now: Date, disablesEndpoint: Bool = false,
        autoDisableAfter: Duration? = nil
    ) {
        self.init(
            deliveryId: claimed.delivery.id, claimToken: claimed.claimToken, subject: CompletionSubject(claimed), attempt: attempt,
            next: next, now: now, disablesEndpoint: disablesEndpoint, autoDisableAfter: autoDisableAfter)
    }
}

/// What completing a claimed delivery reports about the row and its message, carried from the claim.
///
/// The engine already holds the claimed message, so the completion's events (`attempt.made`,
/// `delivery.*`, the operational notices) are built from these facts and no store reads the message row
/// when recording outcomes. While a lease is current nothing else changes the row's attempt count (resend
/// and recover leave a `sending` row alone), so `attemptsBefore` is the count the completion starts from.
package struct CompletionSubject: Sendable, Equatable {
    /// The application.
    package var appId: String
    /// The message.
    package var messageId: String
    /// The endpoint.
    package var endpointId: String
    /// Attempts the delivery had when it was claimed.
    package var attemptsBefore: Int
    /// The message's event type.
    package var eventType: String
    /// The message's channels.
    package var channels: [String]?
    /// The message's event id (Svix `msgEventId`), if it has one.
    package var eventId: String?
    /// When the message was accepted (the start of the end-to-end latency).
    package var messageCreatedAt: Date

    /// Creates a subject from its parts.
    package init(
        appId: String, messageId: String, endpointId: String, attemptsBefore: Int, eventType: String, channels: [String]?,
        eventId: String?, messageCreatedAt: Date
    ) {
        self.appId = appId
        self.messageId = messageId
        self.endpointId = endpointId
        self.attemptsBefore = attemptsBefore
        self.eventType = eventType
        self.channels = channels
        self.eventId = eventId
        self.messageCreatedAt = messageCreatedAt
    }

    /// The subject of a claimed delivery.
    package init(_ claimed: ClaimedDelivery) {
        self.init(
            appId: claimed.delivery.appId, messageId: claimed.delivery.messageId, endpointId: claimed.delivery.endpointId,
            attemptsBefore: claimed.delivery.attempts, eventType: claimed.message.eventType, channels: claimed.message.channels,
            eventId: claimed.message.eventId, messageCreatedAt: claimed.message.createdAt)
    }

    /// The delivery as it stands after a completion that moved it, `attempted` saying whether it spent an attempt.
    func moved(attempted: Bool) -> MovedDelivery {
        MovedDelivery(
            appId: appId, messageId: messageId, endpointId: endpointId, attempts: attemptsBefore + (attempted ? 1 : 0),
            eventType: eventType, channels: channels, messageCreatedAt: messageCreatedAt)
    }
}
