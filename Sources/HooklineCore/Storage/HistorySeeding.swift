import Foundation

/// One finished message of a seeded history: the message, its one delivery row's final state, its attempts and its events.
package struct SeededMessage: Sendable {
    /// The message as ingest would have stored it.
    package var message: Message
    /// The endpoint its one delivery row went to.
    package var endpointId: String
    /// The delivery row's final state (`succeeded` or `failed`).
    package var finalState: DeliveryState
    /// The attempts, oldest first; the last one's time is when the delivery row was last updated.
    package var attempts: [Attempt]
    /// The events the live path would have logged, oldest first (empty when the history is older than event retention).
    package var events: [EventDraft]

    /// Creates a seeded message.
    package init(message: Message, endpointId: String, finalState: DeliveryState, attempts: [Attempt], events: [EventDraft]) {
        self.message = message
        self.endpointId = endpointId
        self.finalState = finalState
        self.attempts = attempts
        self.events = events
    }
}

/// A store that can write finished history in bulk, for benchmarks and scale tests (never used by a serving node).
package protocol HistorySeeding: Sendable {
    /// Writes `batch` (messages, delivery rows, attempts, events) in one transaction.
    func seedHistory(_ batch: [SeededMessage]) async throws
    /// Prepares for many `seedHistory` batches (SQLite: drops the history tables' secondary indexes); default: nothing.
    func beginBulkSeeding() async throws
    /// Ends what `beginBulkSeeding()` began (SQLite: rebuilds the indexes); default: nothing.
    func finishBulkSeeding() async throws
}

extension HistorySeeding {
    /// Nothing to prepare.
    package func beginBulkSeeding() async throws {}
    /// Nothing to finish.
    package func finishBulkSeeding() async throws {}
}

/// Makes a realistic finished history in creation order, the same every time for the same seed (benchmarks, scale tests).
///
/// Messages are spread evenly over `start..<end` across the targets in turn, each with a payload of
/// `payloadSize` bytes and one delivery row. Of every 100 messages, 70 succeed at the first attempt, 20 at the
/// second (after a 500), 8 at the third (after a timeout and a 500), and 2 fail all three and end `failed`;
/// retries follow 5 s and 5 min. Events (`message.created`, `attempt.made`, `delivery.*`) are made only for
/// messages created at or after `eventsSince`, as the event log keeps only its retention window.
package struct HistoryGenerator: Sendable {
    /// An application's endpoint the history is delivered to.
    package struct Target: Sendable {
        /// The application.
        package var appId: String
        /// Its endpoint.
        package var endpointId: String
        /// The endpoint's URL, copied onto attempts.
        package var url: String

        /// Creates a target.
        package init(appId: String, endpointId: String, url: String) {
            self.appId = appId
            self.endpointId = endpointId
            self.url = url
        }
    }

    /// Where messages go, in turn.
    package let targets: [Target]
    /// Messages in the whole history.
    package let total: Int
    /// The first message's creation time.
    package let start: Date
    /// The end of the history: the last message is created just before it.
    package let end: Date
    /// Messages created before this have no events (default: 24 h before `end`, the default event retention).
    package let eventsSince: Date
    /// Payload bytes per message (default 1 KiB).
    package let payloadSize: Int

    /// Messages made so far.
    package private(set) var produced = 0
    private var random: SplitMix64
    private static let eventTypes = ["invoice.paid", "invoice.created", "user.signup", "order.shipped", "order.refunded"]

    /// A generator of `total` messages over `start..<end` to `targets`, seeded with `seed`.
    package init(targets: [Target], total: Int, start: Date, end: Date, eventsSince: Date? = nil, payloadSize: Int = 1024, seed: UInt64 = 1) {
        precondition(!targets.isEmpty, "a history needs at least one target")
        self.targets = targets
        self.total = total
        self.start = start
        self.end = end
        self.eventsSince = eventsSince ?? end.addingTimeInterval(-86_400)
        self.payloadSize = payloadSize
        self.random = SplitMix64(seed: seed)
    }

    /// The next `count` messages (fewer at the end of the history, none after it).
    package mutating func next(_ count: Int) -> [SeededMessage] {
        let count = min(count, total - produced)
        guard count > 0 else { return [] }
        var batch: [SeededMessage] = []
        batch.reserveCapacity(count)
        let span = end.timeIntervalSince(start)
        for _ in 0..<count {
            let createdAt = Date(
                millisecondsSince1970: start.addingTimeInterval(span * Double(produced) / Double(max(1, total))).millisecondsSince1970)
            batch.append(make(number: produced, createdAt: createdAt))
            produced += 1
        }
        return batch
    }

    private mutating func make(number: Int, createdAt: Date) -> SeededMessage {
        let target = targets[number % targets.count]
        let eventType = Self.eventTypes[number % Self.eventTypes.count]
        let message = Message(
            id: Identifier.make(.message, at: createdAt, using: &self), appId: target.appId, eventType: eventType, eventId: nil,
            payload: payload(number: number, eventType: eventType), channels: nil, tags: nil, createdAt: createdAt)
        let roll = Int(next() % 100)
        let answers: [(code: Int, body: String)] =
            switch roll {
            case ..<70: [(200, #"{"ok":true}"#)]
            case ..<90: [(500, "internal error"), (200, #"{"ok":true}"#)]
            case ..<98: [(0, "timed out"), (500, "internal error"), (200, #"{"ok":true}"#)]
            default: [(503, "unavailable"), (503, "unavailable"), (503, "unavailable")]
            }
        let offsets: [TimeInterval] = [0, 5, 305]
        var attempts: [Attempt] = []
        var events: [EventDraft] = []
        let withEvents = createdAt >= eventsSince
        if withEvents { events.append(.messageCreated(message, endpointCount: 1)) }
        for (index, answer) in answers.enumerated() {
            let duration = 3 + Int(next() % 250)
            let time = Date(millisecondsSince1970: createdAt.addingTimeInterval(offsets[index]).millisecondsSince1970 + Int64(duration))
            let attempt = Attempt(
                id: Identifier.make(.attempt, at: time, using: &self), messageId: message.id, endpointId: target.endpointId,
                appId: target.appId, url: target.url, responseStatusCode: answer.code, response: answer.body, durationMs: duration,
                status: (200..<300).contains(answer.code) ? .success : .fail, trigger: .scheduled, timestamp: time)
            attempts.append(attempt)
            guard withEvents else { continue }
            events.append(.attemptMade(attempt, eventType: eventType, channels: nil))
            let last = index == answers.count - 1
            let next: DeliveryOutcome.Next =
                attempt.status == .success ? .succeeded : last ? .failed : .retry(at: createdAt.addingTimeInterval(offsets[index + 1]))
            let moved = MovedDelivery(
                appId: target.appId, messageId: message.id, endpointId: target.endpointId, attempts: index + 1, eventType: eventType,
                channels: nil, messageCreatedAt: createdAt)
            if let event = EventDraft.deliveryMoved(moved, next: next, attempted: true, at: time) { events.append(event) }
        }
        let finalState: DeliveryState = attempts.last?.status == .success ? .succeeded : .failed
        return SeededMessage(message: message, endpointId: target.endpointId, finalState: finalState, attempts: attempts, events: events)
    }

    /// A JSON payload of exactly `payloadSize` bytes (when that is at least the fixed part's length).
    private func payload(number: Int, eventType: String) -> Data {
        var bytes = Array(#"{"type":"\#(eventType)","n":\#(number),"pad":""#.utf8)
        let room = max(0, payloadSize - bytes.count - 2)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: room))
        bytes.append(contentsOf: #""}"#.utf8)
        return Data(bytes)
    }
}

extension HistoryGenerator: RandomNumberGenerator {
    /// The next 64 bits of the seeded sequence.
    package mutating func next() -> UInt64 { random.next() }
}
