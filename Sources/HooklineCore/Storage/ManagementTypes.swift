import Foundation

/// A request for one manual attempt of a message to an endpoint, now.
package struct ResendRequest: Sendable {
    /// The application both belong to.
    package var appId: String
    /// The message to send again.
    package var messageId: String
    /// The endpoint to send it to.
    package var endpointId: String
    /// When the attempt becomes due.
    package var now: Date

    /// Creates a resend request.
    package init(appId: String, messageId: String, endpointId: String, now: Date) {
        self.appId = appId
        self.messageId = messageId
        self.endpointId = endpointId
        self.now = now
    }
}

/// One batch of a recovery: failed deliveries of an endpoint, in message order after `cursor`.
package struct RecoverBatch: Sendable {
    /// The endpoint.
    package var endpointId: String
    /// Messages created at or after this time.
    package var since: Date
    /// Messages created before this time, if bounded.
    package var until: Date?
    /// Only messages with a greater id (the previous batch's last), if set.
    package var cursor: String?
    /// The most deliveries to re-queue.
    package var limit: Int
    /// When the re-queued deliveries become due.
    package var now: Date

    /// Creates a batch description.
    package init(endpointId: String, since: Date, until: Date?, cursor: String?, limit: Int, now: Date) {
        self.endpointId = endpointId
        self.since = since
        self.until = until
        self.cursor = cursor
        self.limit = limit
        self.now = now
    }
}

/// What one recovery batch did.
package struct RecoverBatchResult: Sendable, Equatable {
    /// How many deliveries were re-queued.
    package var count: Int
    /// The greatest message id re-queued, or `nil` when none.
    package var cursor: String?

    /// Creates a result.
    package init(count: Int, cursor: String?) {
        self.count = count
        self.cursor = cursor
    }
}

/// An endpoint's deliveries counted by state.
package struct DeliveryCounts: Sendable, Equatable {
    /// Delivered.
    package var success = 0
    /// Waiting for an attempt.
    package var pending = 0
    /// In flight.
    package var sending = 0
    /// Dead-lettered, or skipped while the endpoint was disabled (Svix reports both as `fail`).
    package var fail = 0
    /// Abandoned.
    package var canceled = 0

    /// Creates counts, all zero by default.
    package init(success: Int = 0, pending: Int = 0, sending: Int = 0, fail: Int = 0, canceled: Int = 0) {
        self.success = success
        self.pending = pending
        self.sending = sending
        self.fail = fail
        self.canceled = canceled
    }

    /// Adds `count` deliveries in `state`.
    package mutating func add(_ count: Int, in state: DeliveryState) {
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
package struct RetentionSummary: Sendable, Equatable {
    /// Messages whose payload goes.
    package var payloads: Int
    /// The bytes those payloads hold.
    package var payloadBytes: Int
    /// Attempts whose response body goes.
    package var responses: Int
    /// Messages deleted with their deliveries and attempts (past the history retention); a dry run does not count them.
    package var messages = 0
    /// Inbound requests deleted with the history (received before the history retention cutoff, not pending).
    package var inboundRequests = 0

    /// Creates a summary.
    package init(payloads: Int, payloadBytes: Int, responses: Int) {
        self.payloads = payloads
        self.payloadBytes = payloadBytes
        self.responses = responses
    }
}
