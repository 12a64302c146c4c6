import Foundation

/// A request for one manual attempt of a message to an endpoint, now.
public struct ResendRequest: Sendable {
    /// The application both belong to.
    public var appId: String
    /// The message to send again.
    public var messageId: String
    /// The endpoint to send it to.
    public var endpointId: String
    /// When the attempt becomes due.
    public var now: Date

    /// Creates a resend request.
    public init(appId: String, messageId: String, endpointId: String, now: Date) {
        self.appId = appId
        self.messageId = messageId
        self.endpointId = endpointId
        self.now = now
    }
}

/// One batch of a recovery: failed deliveries of an endpoint, in message order after `cursor`.
public struct RecoverBatch: Sendable {
    /// The endpoint.
    public var endpointId: String
    /// Messages created at or after this time.
    public var since: Date
    /// Messages created before this time, if bounded.
    public var until: Date?
    /// Only messages with a greater id (the previous batch's last), if set.
    public var cursor: String?
    /// The most deliveries to re-queue.
    public var limit: Int
    /// When the re-queued deliveries become due.
    public var now: Date

    /// Creates a batch description.
    public init(endpointId: String, since: Date, until: Date?, cursor: String?, limit: Int, now: Date) {
        self.endpointId = endpointId
        self.since = since
        self.until = until
        self.cursor = cursor
        self.limit = limit
        self.now = now
    }
}

/// What one recovery batch did.
public struct RecoverBatchResult: Sendable, Equatable {
    /// How many deliveries were re-queued.
    public var count: Int
    /// The greatest message id re-queued, or `nil` when none.
    public var cursor: String?

    /// Creates a result.
    public init(count: Int, cursor: String?) {
        self.count = count
        self.cursor = cursor
    }
}

/// An endpoint's deliveries counted by state.
public struct DeliveryCounts: Sendable, Equatable {
    /// Delivered.
    public var success = 0
    /// Waiting for an attempt.
    public var pending = 0
    /// In flight.
    public var sending = 0
    /// Dead-lettered, or skipped while the endpoint was disabled (Svix reports both as `fail`).
    public var fail = 0
    /// Abandoned.
    public var canceled = 0

    /// Creates counts, all zero by default.
    public init(success: Int = 0, pending: Int = 0, sending: Int = 0, fail: Int = 0, canceled: Int = 0) {
        self.success = success
        self.pending = pending
        self.sending = sending
        self.fail = fail
        self.canceled = canceled
    }

    /// Adds `count` deliveries in `state`.
    public mutating func add(_ count: Int, in state: DeliveryState) {
        switch state {
        case .succeeded: success += count
        case .pending: pending += count
        case .sending: sending += count
        case .failed, .skipped: fail += count
        default: canceled += count
        }
    }
}

/// What a retention sweep removes (or would remove).
public struct RetentionSummary: Sendable, Equatable {
    /// Messages whose payload goes.
    public var payloads: Int
    /// The bytes those payloads hold.
    public var payloadBytes: Int
    /// Attempts whose response body goes.
    public var responses: Int

    /// Creates a summary.
    public init(payloads: Int, payloadBytes: Int, responses: Int) {
        self.payloads = payloads
        self.payloadBytes = payloadBytes
        self.responses = responses
    }
}
