import Foundation

/// The one way in: turns an application, its endpoints and a message's parts into the `NewMessage` to commit.
///
/// Every path that creates messages builds them here — the API (`Gateway.createMessage`, through the
/// `GroupCommitter`), the `InboundRouter` (in the transaction that marks the request routed) and the
/// `OperationalForwarder` (`insertMessages`) — so the rules live in one place:
/// - the id and the times are stamped in whole milliseconds, as stored, so what a caller is answered
///   is what a later read shows;
/// - the priority is clamped into `PriorityLane.levels`; none means `PriorityLane.normal`;
/// - the message goes to the endpoints `MessageRouter.route` picks, and disabled endpoints that would
///   take it get `skipped` rows (see `MessageRouter.skipped`);
/// - deliveries are first due at the parts' `deliverAt`, never before `now`;
/// - the routed endpoints and the application's throttle ride along, so a commit can hand fresh
///   deliveries to the engine in memory (see `DeliveryHandoff`).
///
/// It does no I/O: callers read the application and its endpoints, commit the result their own way,
/// and count what was committed with `HooklineMetrics.recordCreated`.
package struct MessageIntake: Sendable {
    /// Picks the receiving and the skipped endpoints.
    let router = MessageRouter()
    /// Makes a message id stamped with the given time.
    let makeId: @Sendable (Date) -> String

    /// Creates an intake; `makeId` makes message ids (default: a random `msg_` id stamped with the time).
    package init(makeId: @escaping @Sendable (Date) -> String = { Identifier.make(.message, at: $0) }) {
        self.makeId = makeId
    }

    /// The message made of `parts` for `application`, routed among `endpoints` (all of the application's),
    /// stamped at `now`.
    package func admit(_ parts: MessageParts, to application: Application, endpoints: [Endpoint], now: Date) -> NewMessage {
        let now = Self.wholeMilliseconds(now)
        let message = Message(
            id: makeId(now), appId: application.id, eventType: parts.eventType, eventId: parts.eventId, payload: parts.payload,
            channels: parts.channels, tags: parts.tags, createdAt: parts.acceptedAt.map(Self.wholeMilliseconds) ?? now,
            contentType: parts.contentType, correlationId: parts.correlationId,
            priority: PriorityLane(clamping: parts.priority ?? PriorityLane.normal.level).level)
        let targets = router.route(eventType: parts.eventType, channels: parts.channels, payload: parts.payload, to: endpoints)
        let skipped = router.skipped(eventType: parts.eventType, channels: parts.channels, payload: parts.payload, among: endpoints)
        let deliverAt = max(parts.deliverAt.map(Self.wholeMilliseconds) ?? now, now)
        return NewMessage(
            message: message, endpointIds: targets.map(\.id), deliverAt: deliverAt, skippedEndpointIds: skipped.map(\.id),
            endpoints: targets, applicationThrottleRate: application.throttleRate)
    }

    /// `date` cut to the whole millisecond, the precision the stores keep.
    package static func wholeMilliseconds(_ date: Date) -> Date {
        Date(millisecondsSince1970: date.millisecondsSince1970)
    }
}

/// What a message is made of before the intake stamps, routes and schedules it.
package struct MessageParts: Sendable {
    /// The event type.
    package var eventType: String
    /// The payload bytes, delivered exactly as they are.
    package var payload: Data
    /// An id unique within the application, if any.
    package var eventId: String?
    /// Channels to send on.
    package var channels: [String]?
    /// Tags for filtering.
    package var tags: [String]?
    /// The payload's media type when it is not JSON.
    package var contentType: String?
    /// An id tying messages of one workflow together.
    package var correlationId: String?
    /// The priority level; clamped into 0–9, `nil` means 5.
    package var priority: Int?
    /// Deliver no earlier than this time; `nil` (or a past time) means at once.
    package var deliverAt: Date?
    /// When the message was accepted, if before it is admitted (an inbound request's receipt); `nil` means now.
    package var acceptedAt: Date?

    /// Creates the parts of a message.
    package init(
        eventType: String, payload: Data, eventId: String? = nil, channels: [String]? = nil, tags: [String]? = nil,
        contentType: String? = nil, correlationId: String? = nil, priority: Int? = nil, deliverAt: Date? = nil, acceptedAt: Date? = nil
    ) {
        self.eventType = eventType
        self.payload = payload
        self.eventId = eventId
        self.channels = channels
        self.tags = tags
        self.contentType = contentType
        self.correlationId = correlationId
        self.priority = priority
        self.deliverAt = deliverAt
        self.acceptedAt = acceptedAt
    }

    /// The parts of an API draft: its raw payload bytes when it has them, else the payload's canonical JSON.
    package init(_ draft: MessageDraft) throws {
        self.init(
            eventType: draft.eventType, payload: try draft.rawPayload ?? draft.payload.canonicalData(), eventId: draft.eventId,
            channels: draft.channels, tags: draft.tags, priority: draft.priority, deliverAt: draft.deliverAt)
    }
}

extension HooklineMetrics {
    /// Counts one committed message and its deliveries (`hookline_messages_created_total`,
    /// `hookline_deliveries_created_total`); skipped rows are not deliveries to make.
    package func recordCreated(_ item: NewMessage) {
        messagesCreated.increment()
        deliveriesCreated.increment(by: item.endpointIds.count)
    }

    /// Counts the messages of a committed batch whose outcome is `inserted`; duplicates count nothing.
    package func recordCreated(_ batch: [NewMessage], outcomes: [InsertOutcome]) {
        for (item, outcome) in zip(batch, outcomes) where outcome == .inserted {
            recordCreated(item)
        }
    }
}
