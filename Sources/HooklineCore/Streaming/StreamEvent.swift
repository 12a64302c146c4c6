import Foundation

/// An event read back from the durable log, with its monotonically increasing id.
package struct StreamEvent: Sendable, Equatable {
    /// The log position: a reader pages the log by increasing id and never passes one still to commit.
    package var id: Int64
    /// Everything else about the event.
    package var draft: EventDraft

    /// Creates an event.
    package init(id: Int64, draft: EventDraft) {
        self.id = id
        self.draft = draft
    }

    /// What happened.
    package var kind: EventKind { draft.kind }
    /// The application it concerns, if any.
    package var appId: String? { draft.appId }
    /// When it happened.
    package var createdAt: Date { draft.createdAt }
}

/// What an event in the durable event log reports, e.g. `message.created`.
package struct EventKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The wire name, used as the SSE `event:` field.
    package let rawValue: String

    /// Wraps a wire name.
    package init(rawValue: String) { self.rawValue = rawValue }

    /// A message was accepted and committed with its delivery rows.
    package static let messageCreated = EventKind(rawValue: "message.created")
    /// An HTTP attempt was made and recorded (any outcome).
    package static let attemptMade = EventKind(rawValue: "attempt.made")
    /// A delivery reached a 2xx.
    package static let deliverySucceeded = EventKind(rawValue: "delivery.succeeded")
    /// An attempt failed and the delivery is scheduled for a retry.
    package static let deliveryFailed = EventKind(rawValue: "delivery.failed")
    /// A delivery exhausted its schedule (or got 410) and is now a dead letter.
    package static let deliveryExhausted = EventKind(rawValue: "delivery.exhausted")
    /// A delivery was dropped because its endpoint is gone.
    package static let deliveryCanceled = EventKind(rawValue: "delivery.canceled")
    /// A claimed delivery was set aside (`skipped`) because its endpoint is disabled.
    package static let deliverySkipped = EventKind(rawValue: "delivery.skipped")
    /// An endpoint was disabled (it answered 410 Gone, it kept failing, or through the API).
    package static let endpointDisabled = EventKind(rawValue: "endpoint.disabled")
    /// An endpoint was enabled again through the API.
    package static let endpointEnabled = EventKind(rawValue: "endpoint.enabled")
    /// A message's payload was expunged through the API (its unfinished deliveries are canceled with it).
    package static let messageExpunged = EventKind(rawValue: "message.expunged")
    /// An attempt's response body was expunged through the API.
    package static let attemptExpunged = EventKind(rawValue: "attempt.expunged")
    /// Operational: a delivery exhausted its retries (Svix `message.attempt.exhausted`).
    package static let messageAttemptExhausted = EventKind(rawValue: "message.attempt.exhausted")
    /// Operational: a delivery failed its 4th attempt (Svix `message.attempt.failing`).
    package static let messageAttemptFailing = EventKind(rawValue: "message.attempt.failing")
    /// Operational: a delivery succeeded after a `message.attempt.failing` notice (Svix `message.attempt.recovered`).
    package static let messageAttemptRecovered = EventKind(rawValue: "message.attempt.recovered")

    /// The kinds Hookline itself appends.
    package static let all: [EventKind] = [
        .messageCreated, .attemptMade, .deliverySucceeded, .deliveryFailed, .deliveryExhausted, .deliveryCanceled, .deliverySkipped,
        .endpointDisabled, .endpointEnabled, .messageAttemptExhausted, .messageAttemptFailing, .messageAttemptRecovered,
        .messageExpunged, .attemptExpunged,
    ]

    /// The kinds posted to the operational webhook, named as Svix's operational webhooks.
    package static let operational: Set<EventKind> = [
        .messageAttemptExhausted, .messageAttemptFailing, .messageAttemptRecovered, .endpointDisabled, .endpointEnabled,
    ]

    /// The wire name.
    package var description: String { rawValue }

    /// Decodes the wire name.
    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the wire name.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Which ids the event log still holds.
package struct EventLogBounds: Sendable, Equatable {
    /// The name of the checkpoint under which stores keep `prunedThrough`, raised in the transaction that prunes.
    package static let prunedThroughCheckpoint = "event-log.pruned-through"

    /// The oldest id kept, or `nil` when the log is empty.
    package var firstId: Int64?
    /// The largest id ever assigned (0 when none), even if pruned since.
    package var lastId: Int64
    /// The largest id retention has deleted (0 when none). An id missing above it was never committed (PostgreSQL's
    /// sequence gives values to transactions that roll back), so it is a hole, not a pruned event.
    package var prunedThrough: Int64

    /// Creates bounds.
    package init(firstId: Int64?, lastId: Int64, prunedThrough: Int64 = 0) {
        self.firstId = firstId
        self.lastId = lastId
        self.prunedThrough = prunedThrough
    }

    /// Whether events after `id` are no longer all kept (some were pruned).
    package func hasPruned(after id: Int64) -> Bool {
        id < min(prunedThrough, lastId)
    }
}

/// Counts and latency of the events in a time window, for the status endpoint.
package struct EventStatistics: Sendable, Equatable {
    /// How many events of each kind the window holds.
    package var counts: [EventKind: Int]
    /// Accepted → 2xx on the delivery's first attempt (manual resends excluded); `nil` without such successes.
    package var firstAttemptMs: Percentiles?
    /// Accepted → 2xx over every success (after retries, or a resend, included); `nil` without successes.
    package var timeToSuccessMs: Percentiles?

    /// Three latency percentiles (nearest rank) over `count` successes.
    package struct Percentiles: Sendable, Equatable {
        /// How many successes the percentiles are taken over.
        package var count: Int
        /// The median.
        package var p50: Int64
        /// The 95th percentile.
        package var p95: Int64
        /// The 99th percentile.
        package var p99: Int64

        /// Creates percentiles.
        package init(count: Int, p50: Int64, p95: Int64, p99: Int64) {
            self.count = count
            self.p50 = p50
            self.p95 = p95
            self.p99 = p99
        }

        /// The 0-based position of the nearest-rank `fraction` percentile among `count` sorted values.
        package static func rank(_ fraction: Double, of count: Int) -> Int {
            max(0, min(count - 1, Int((Double(count) * fraction).rounded(.up)) - 1))
        }
    }

    /// Creates statistics.
    package init(counts: [EventKind: Int], firstAttemptMs: Percentiles?, timeToSuccessMs: Percentiles?) {
        self.counts = counts
        self.firstAttemptMs = firstAttemptMs
        self.timeToSuccessMs = timeToSuccessMs
    }
}

/// A delivery row a completion moved, with the message facts its event needs.
package struct MovedDelivery: Sendable {
    /// The application.
    package var appId: String
    /// The message.
    package var messageId: String
    /// The endpoint.
    package var endpointId: String
    /// Attempts made so far, this one included.
    package var attempts: Int
    /// The message's event type.
    package var eventType: String?
    /// The message's channels.
    package var channels: [String]?
    /// When the message was accepted.
    package var messageCreatedAt: Date

    /// Creates a moved-delivery value.
    package init(
        appId: String, messageId: String, endpointId: String, attempts: Int, eventType: String?, channels: [String]?,
        messageCreatedAt: Date
    ) {
        self.appId = appId
        self.messageId = messageId
        self.endpointId = endpointId
        self.attempts = attempts
        self.eventType = eventType
        self.channels = channels
        self.messageCreatedAt = messageCreatedAt
    }
}
