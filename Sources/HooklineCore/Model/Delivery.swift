import Foundation

/// The queue row for one (message, endpoint) pair: its state and when it is next due.
package struct Delivery: Sendable, Equatable {
    /// The store-assigned row identifier.
    package var id: Int64
    /// The message being delivered.
    package var messageId: String
    /// The endpoint it is delivered to.
    package var endpointId: String
    /// The application both belong to.
    package var appId: String
    /// Where the delivery stands.
    package var state: DeliveryState
    /// How many attempts have been made.
    package var attempts: Int
    /// When the delivery is next due (for `sending`, when its lease expires).
    package var nextAttemptAt: Date
    /// Whether the next attempt was asked for by hand (resend or recover): it is recorded as manual.
    package var manual: Bool
    /// The message's priority level, copied onto the row so claims can order by it.
    package var priority: Int = PriorityLane.normal.level

    /// Creates a delivery value.
    package init(
        id: Int64, messageId: String, endpointId: String, appId: String, state: DeliveryState, attempts: Int,
        nextAttemptAt: Date, manual: Bool = false, priority: Int = PriorityLane.normal.level
    ) {
        self.id = id
        self.messageId = messageId
        self.endpointId = endpointId
        self.appId = appId
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.manual = manual
        self.priority = priority
    }
}

/// Where a delivery stands; see `docs/delivery-states.md`.
package struct DeliveryState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The stored integer.
    package let rawValue: Int
    /// Creates a state from its stored integer.
    package init(rawValue: Int) { self.rawValue = rawValue }

    /// Waiting for its next attempt.
    package static let pending = DeliveryState(rawValue: 0)
    /// Claimed by an engine under a lease.
    package static let sending = DeliveryState(rawValue: 1)
    /// Delivered with a 2xx answer.
    package static let succeeded = DeliveryState(rawValue: 2)
    /// Every scheduled attempt failed (dead letter).
    package static let failed = DeliveryState(rawValue: 3)
    /// Abandoned because its endpoint is gone.
    package static let canceled = DeliveryState(rawValue: 4)
    /// Set aside because its endpoint was disabled; `recover` and `resend` deliver it once the endpoint is enabled.
    package static let skipped = DeliveryState(rawValue: 5)

    /// Whether the delivery still has work ahead of it.
    package var isActive: Bool { self == .pending || self == .sending }

    /// The state's name.
    package var description: String {
        switch self {
        case .pending: "pending"
        case .sending: "sending"
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .canceled: "canceled"
        case .skipped: "skipped"
        default: "unknown(\(rawValue))"
        }
    }
}

extension DeliveryState {
    /// The delivery state a Svix message status (the attempt status numbers) stands for.
    package init(status: AttemptStatus) {
        switch status {
        case .success: self = .succeeded
        case .pending: self = .pending
        case .fail: self = .failed
        case .sending: self = .sending
        default: self = .canceled
        }
    }

    /// The stored states a status filter for this state matches.
    ///
    /// Svix knows no `skipped` status: a skipped delivery was not delivered and `recover` re-sends it, exactly
    /// like a failed one, so it is reported (and filtered) as `fail`.
    package var matchingStoredStates: [DeliveryState] {
        self == .failed ? [.failed, .skipped] : [self]
    }
}

/// One HTTP try of a delivery, with what the receiver answered.
package struct Attempt: Sendable, Equatable {
    /// The `atmpt_` identifier.
    package var id: String
    /// The message delivered.
    package var messageId: String
    /// The endpoint tried.
    package var endpointId: String
    /// The application both belong to.
    package var appId: String
    /// The URL that was called.
    package var url: String
    /// The HTTP status answered, or 0 when no response came.
    package var responseStatusCode: Int
    /// The response body (capped) or the network error.
    package var response: String
    /// How long the try took.
    package var durationMs: Int
    /// The outcome.
    package var status: AttemptStatus
    /// What started the try.
    package var trigger: AttemptTrigger
    /// When the try was made.
    package var timestamp: Date

    /// Creates an attempt value.
    package init(
        id: String, messageId: String, endpointId: String, appId: String, url: String, responseStatusCode: Int,
        response: String, durationMs: Int, status: AttemptStatus, trigger: AttemptTrigger, timestamp: Date
    ) {
        self.id = id
        self.messageId = messageId
        self.endpointId = endpointId
        self.appId = appId
        self.url = url
        self.responseStatusCode = responseStatusCode
        self.response = response
        self.durationMs = durationMs
        self.status = status
        self.trigger = trigger
        self.timestamp = timestamp
    }
}

/// An attempt's outcome, numbered as in the Svix API.
package struct AttemptStatus: RawRepresentable, Hashable, Sendable {
    /// The wire integer.
    package let rawValue: Int
    /// Creates a status from its wire integer.
    package init(rawValue: Int) { self.rawValue = rawValue }
    /// The receiver answered 2xx.
    package static let success = AttemptStatus(rawValue: 0)
    /// Not yet tried.
    package static let pending = AttemptStatus(rawValue: 1)
    /// The receiver failed or could not be reached.
    package static let fail = AttemptStatus(rawValue: 2)
    /// In flight.
    package static let sending = AttemptStatus(rawValue: 3)
    /// Abandoned.
    package static let canceled = AttemptStatus(rawValue: 4)

    /// The statuses an attempt row holds: an attempt is recorded once it has an answer or an error, never before.
    package static let recorded: Set<AttemptStatus> = [.success, .fail]

    /// The SQL predicate of a failed attempt, `status = 2`, which the partial index `attempt_failed` is made of: a list
    /// of failed attempts adds it so the index serves.
    package static let failedPredicate = "status = \(fail.rawValue)"

    /// The Svix `statusText` for this status.
    package var text: String {
        switch rawValue {
        case 0: "success"
        case 1: "pending"
        case 2: "fail"
        case 3: "sending"
        default: "canceled"
        }
    }
}

/// What started an attempt, numbered as in the Svix API.
package struct AttemptTrigger: RawRepresentable, Hashable, Sendable {
    /// The wire integer.
    package let rawValue: Int
    /// Creates a trigger from its wire integer.
    package init(rawValue: Int) { self.rawValue = rawValue }
    /// The retry schedule.
    package static let scheduled = AttemptTrigger(rawValue: 0)
    /// A manual resend or recover.
    package static let manual = AttemptTrigger(rawValue: 1)
}
