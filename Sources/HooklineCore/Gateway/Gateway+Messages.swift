import Foundation

extension Gateway {
    /// Accepts a message: routes it, and returns once it and its deliveries are durably committed.
    ///
    /// Under an `IdempotencyClaim`, `answer` renders the response the caller will get, and it is committed
    /// with the message (kept for the claim's key) so a retry after any error replays it if it committed.
    public func createMessage(
        appIdOrUid: String, _ draft: MessageDraft, answer: (@Sendable (Message) async throws -> IdempotentResponse)? = nil
    ) async throws -> Message {
        try Validation.name(draft.eventType, field: "eventType")
        try Validation.names(draft.channels, field: "channels", maxCount: 5)
        if let eventId = draft.eventId { try Validation.name(eventId, field: "eventId") }
        if let priority = draft.priority { try Validation.priority(level: priority) }
        guard draft.rawPayload.map(RawJSON.looksLikeObject) ?? draft.payload.isObject else {
            throw HooklineError.invalid("payload", message: "payload must be a JSON object")
        }
        let application = try await application(appIdOrUid)
        let parts = try MessageParts(draft)
        let now = clock.now()
        let endpoints = try await store.allEndpoints(appId: application.id)
        var item = intake.admit(parts, to: application, endpoints: endpoints, now: now)
        let claim = IdempotencyClaim.current
        if let claim, let answer { item.idempotency = claim.record(try await answer(item.message)) }
        let outcome = try await committer.commit(item)
        switch outcome {
        case .inserted:
            if item.idempotency != nil { claim?.markKept() }
            metrics.recordCreated(item)
            return item.message
        case .duplicateEventId(let existing):
            throw HooklineError(.conflict, "a message with this eventId already exists (\(existing))")
        }
    }

    /// The message `id` of an application; throws `notFound`.
    public func message(appIdOrUid: String, _ id: String) async throws -> Message {
        let application = try await application(appIdOrUid)
        guard let message = try await store.message(appId: application.id, id: id) else {
            throw HooklineError.notFound("message")
        }
        return message
    }

    /// A page of an application's messages matching `filter` (and with a delivery in `status`, if set).
    public func messages(
        appIdOrUid: String, _ page: PageRequest, filter: ListFilter = ListFilter(), status: AttemptStatus? = nil
    ) async throws -> Page<Message> {
        try checkPage(page)
        let application = try await application(appIdOrUid)
        let query = MessageQuery(appId: application.id, filter: filter, deliveryState: status.map(DeliveryState.init(status:)), page: page)
        return try await store.messages(query)
    }

    /// A page of the attempts made for a message; `query` narrows them (its ids are replaced).
    public func attempts(appIdOrUid: String, messageId: String, _ query: AttemptQuery) async throws -> Page<Attempt> {
        try checkPage(query.page)
        let message = try await message(appIdOrUid: appIdOrUid, messageId)
        var query = query
        query.appId = message.appId
        query.messageId = message.id
        if let endpointId = query.endpointId {
            query.endpointId = try await store.endpoint(appId: message.appId, idOrUid: endpointId)?.id ?? endpointId
        }
        return try await store.attempts(query)
    }

    /// A page of the attempts made to an endpoint; `query` narrows them (its ids are replaced).
    public func attempts(appIdOrUid: String, endpointIdOrUid: String, _ query: AttemptQuery) async throws -> Page<Attempt> {
        try checkPage(query.page)
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, endpointIdOrUid)
        var query = query
        query.appId = endpoint.appId
        query.endpointId = endpoint.id
        query.messageId = nil
        return try await store.attempts(query)
    }
}
