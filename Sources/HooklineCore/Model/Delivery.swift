import Foundation

/// The queue row for one (message, endpoint) pair: its state and when it is next due.
public struct Delivery: Sendable, Equatable {
    /// The store-assigned row identifier.
    public var id: Int64
    /// The message being delivered.
    public var messageId: String
    /// The endpoint it is delivered to.
    public var endpointId: String
    /// The application both belong to.
    public var appId: String
    /// Where the delivery stands.
    public var state: DeliveryState
    /// How many attempts have been made.
    public var attempts: Int
    /// When the delivery is next due (for `sending`, when its lease expires).
    public var nextAttemptAt: Date
    /// Whether the next attempt was asked for by hand (resend or recover): it is recorded as manual.
    public var manual: Bool
    /// The message's priority level, copied onto the row so claims can order by it.
    public var priority: Int = PriorityLane.normal.level

    /// Creates a delivery value.
    public init(
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
public struct DeliveryState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The stored integer.
    public let rawValue: Int
    /// Creates a state from its stored integer.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Waiting for its next attempt.
    public static let pending = DeliveryState(rawValue: 0)
    /// Claimed by an engine under a lease.
    public static let sending = DeliveryState(rawValue: 1)
    /// Delivered with a 2xx answer.
    public static let succeeded = DeliveryState(rawValue: 2)
    /// Every scheduled attempt failed (dead letter).
    public static let failed = DeliveryState(rawValue: 3)
    /// Abandoned because its endpoint is gone.
    public static let canceled = DeliveryState(rawValue: 4)
    /// Set aside because its endpoint was disabled; `recover` and `resend` deliver it once the endpoint is enabled.
    public static let skipped = DeliveryState(rawValue: 5)

    /// Whether the delivery still has work ahead of it.
    public var isActive: Bool { self == .pending || self == .sending }

    /// The state's name.
    public var description: String {
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
