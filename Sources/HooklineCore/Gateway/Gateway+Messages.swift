import Foundation

extension Gateway {
    /// Accepts a message: routes it, and returns once it and its deliveries are durably committed.
    ///
    /// Under an `IdempotencyClaim`, `answer` renders the response the caller will get, and it is committed
    /// with the message (kept for the claim's key) so a retry after any error replays it if it committed.
    package func createMessage(
        appIdOrUid: String, _ draft: MessageDraft, answer: (@Sendable (Message) async throws -> IdempotentResponse)? = nil
    ) async throws -> Message {
        try Validation.name(draft.eventType, field: "eventType")
        try Validation.names(draft.channels, field: "channels", maxCount: 5)
        if let eventId = draft.eventId { try Validation.name(eventId, field: "eventId") }
        if let priority = draft.priority { try Validation.priority(level: priority) }
        guard draft.rawPayload.map(RawJSON.looksLikeObject) ?? draft.payload.isObject else {
            throw HooklineError.invalid("payload", message: "payload must be a JSON object")
        }
        guard var routing = try await store.routingSnapshot(appIdOrUid) else { throw HooklineError.notFound("application") }
        let parts = try MessageParts(draft)
        let claim = IdempotencyClaim.current
        // A store that caches routing answers `staleRouting` (writing nothing) when the snapshot was no longer
        // current at commit; the message is then routed again from a fresh snapshot.
        for attempt in 1...3 {
            var item = intake.admit(parts, to: routing.application, endpoints: routing.endpoints, now: clock.now())
            item.routingVersion = routing.version
            if let claim, let answer { item.idempotency = claim.record(try await answer(item.message)) }
            switch try await committer.commit(item) {
            case .inserted:
                if item.idempotency != nil { claim?.markKept() }
                metrics.recordCreated(item)
                return item.message
            case .duplicateEventId(let existing):
                throw HooklineError(.conflict, "a message with this eventId already exists (\(existing))")
            case .keptResponse(let response):
                // An earlier request with this idempotency key committed: the gate answers with its response.
                throw IdempotencyReplay(response: response)
            case .staleRouting where attempt < 3:
                guard let fresh = try await store.routingSnapshot(appIdOrUid) else { throw HooklineError.notFound("application") }
                routing = fresh
            case .staleRouting:
                break
            }
        }
        throw HooklineError(.unavailable, "the application's endpoints kept changing while the message was routed; retry")
    }

    /// The message `id` of an application; throws `notFound`.
    package func message(appIdOrUid: String, _ id: String) async throws -> Message {
        let application = try await application(appIdOrUid)
        guard let message = try await store.message(appId: application.id, id: id) else {
            throw HooklineError.notFound("message")
        }
        return message
    }

    /// A page of an application's messages matching `filter` (and with a delivery in `status`, if set).
    package func messages(
        appIdOrUid: String, _ page: PageRequest, filter: ListFilter = ListFilter(), status: AttemptStatus? = nil
    ) async throws -> Page<Message> {
        try checkPage(page)
        let application = try await application(appIdOrUid)
        let query = MessageQuery(appId: application.id, filter: filter, deliveryState: status.map(DeliveryState.init(status:)), page: page)
        return try await store.messages(query)
    }

    /// A page of the attempts made for a message; `query` narrows them (its ids are replaced).
    package func attempts(appIdOrUid: String, messageId: String, _ query: AttemptQuery) async throws -> Page<Attempt> {
        try checkPage(query.page)
        let message = try await message(appIdOrUid: appIdOrUid, messageId)
        var query = query
        query.appId = message.appId
        query.messageId = message.id
        if let endpointId = query.endpointId {
            query.endpointId = try await store.endpoint(appId: message.appId, idOrUid: endpointId)?.id ?? endpointId
        }
        return try await Self.attempts(query, in: store)
    }

    /// A page of the attempts made to an endpoint; `query` narrows them (its ids are replaced).
    package func attempts(appIdOrUid: String, endpointIdOrUid: String, _ query: AttemptQuery) async throws -> Page<Attempt> {
        try checkPage(query.page)
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, endpointIdOrUid)
        var query = query
        query.appId = endpoint.appId
        query.endpointId = endpoint.id
        query.messageId = nil
        return try await Self.attempts(query, in: store)
    }

    /// A page of attempts from `store`: empty, without a read, for a status no attempt row holds (`AttemptStatus.recorded`),
    /// which a read would look for through the whole history.
    static func attempts(_ query: AttemptQuery, in store: Store) async throws -> Page<Attempt> {
        if let status = query.status, !AttemptStatus.recorded.contains(status) {
            return Page(items: [], iterator: nil, done: true)
        }
        return try await store.attempts(query)
    }
}

/// A delivery's state as the Svix message status numbers put it (`MessageStatus`: 0 success, 1 pending, 2 fail,
/// 3 sending); Svix has no canceled or skipped status, and neither was delivered, so both read as fail.
extension DeliveryState {
    /// The Svix status of a delivery in this state.
    package var svixStatus: AttemptStatus {
        switch self {
        case .succeeded: .success
        case .pending: .pending
        case .sending: .sending
        default: .fail
        }
    }
}

/// An endpoint a message was routed to, with that delivery's row (`GET …/msg/{msg_id}/endpoint`).
package struct MessageDestination: Sendable {
    /// The endpoint.
    package var endpoint: Endpoint
    /// The message's delivery to it.
    package var delivery: Delivery
}

extension Gateway {
    /// Attempt `id` of a message (by id or event id); throws `notFound`.
    package func attempt(appIdOrUid: String, messageId: String, id: String) async throws -> Attempt {
        let message = try await message(appIdOrUid: appIdOrUid, messageId)
        guard let attempt = try await store.attempt(appId: message.appId, messageId: message.id, id: id) else {
            throw HooklineError.notFound("attempt")
        }
        return attempt
    }

    /// Removes a message's payload for good and cancels its unfinished deliveries (Svix: it cannot be sent again).
    package func expungeContent(appIdOrUid: String, messageId: String) async throws {
        let message = try await message(appIdOrUid: appIdOrUid, messageId)
        guard try await store.expungeMessageContent(appId: message.appId, messageId: message.id, now: clock.now()) else {
            throw HooklineError.notFound("message")
        }
    }

    /// Removes an attempt's response body for good.
    package func expungeAttemptContent(appIdOrUid: String, messageId: String, attemptId: String) async throws {
        let message = try await message(appIdOrUid: appIdOrUid, messageId)
        guard try await store.expungeAttemptContent(appId: message.appId, messageId: message.id, attemptId: attemptId, now: clock.now()) else {
            throw HooklineError.notFound("attempt")
        }
    }

    /// A page of the messages routed to an endpoint, newest first, each with its delivery to it.
    package func endpointMessages(
        appIdOrUid: String, endpointIdOrUid: String, _ page: PageRequest, filter: ListFilter, status: DeliveryState?
    ) async throws -> Page<EndpointMessage> {
        try checkPage(page)
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, endpointIdOrUid)
        let query = MessageQuery(appId: endpoint.appId, filter: filter, deliveryState: status, page: page)
        return try await store.endpointMessages(query, endpointId: endpoint.id)
    }

    /// A page of the endpoints a message was routed to, by endpoint id (Svix order); deleted endpoints are left out.
    package func messageDestinations(appIdOrUid: String, messageId: String, _ page: PageRequest) async throws -> Page<MessageDestination> {
        try checkPage(page)
        let message = try await message(appIdOrUid: appIdOrUid, messageId)
        let endpoints = Dictionary(try await store.allEndpoints(appId: message.appId).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let all = try await store.deliveries(messageId: message.id)
            .compactMap { delivery in endpoints[delivery.endpointId].map { MessageDestination(endpoint: $0, delivery: delivery) } }
            .sorted { $0.endpoint.id < $1.endpoint.id }
        let backward = page.iterator?.hasPrefix("-") ?? false
        let cursor = page.iterator.map { backward ? String($0.dropFirst()) : $0 }
        let travelled = backward ? all.filter { $0.endpoint.id < cursor! }.reversed() : all.filter { cursor == nil || $0.endpoint.id > cursor! }
        return Page(fetched: Array(travelled.prefix(page.limit + 1)), limit: page.limit, backward: backward, id: \.endpoint.id)
    }

    /// Sends the event type's example to one endpoint as a real message (Svix send-example): version 1's first
    /// schema example, `{"success": true}` for `svix.ping`, `{}` for a type without examples; `notFound` for an unknown type.
    package func sendExample(appIdOrUid: String, endpointIdOrUid: String, eventType name: String) async throws -> Message {
        try Validation.name(name, field: "eventType")
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, endpointIdOrUid)
        let application = try await application(endpoint.appId)
        let payload: JSONValue
        if name == "svix.ping" {
            payload = .object(["success": .bool(true)])
        } else {
            let eventType = try await eventType(named: name)
            payload = Self.example(of: eventType) ?? .object([:])
        }
        // Only this endpoint, whatever its filters (Svix forces the destination).
        var target = endpoint
        target.eventTypes = nil
        target.channels = nil
        target.payloadFilter = nil
        let parts = try MessageParts(MessageDraft(eventType: name, payload: payload))
        let item = intake.admit(parts, to: application, endpoints: [target], now: clock.now())
        _ = try await committer.commit(item)
        metrics.recordCreated(item)
        return item.message
    }

    /// Version 1's first `examples` entry of an event type's schemas, when it is a JSON object.
    static func example(of eventType: EventType) -> JSONValue? {
        guard case .object(let versions)? = eventType.schemas, case .object(let schema)? = versions["1"],
            case .array(let examples)? = schema["examples"], let first = examples.first, first.isObject
        else { return nil }
        return first
    }
}
