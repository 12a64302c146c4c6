import Foundation

extension Gateway {
    /// Accepts a message: routes it, and returns once it and its deliveries are durably committed.
    public func createMessage(appIdOrUid: String, _ draft: MessageDraft) async throws -> Message {
        try Validation.name(draft.eventType, field: "eventType")
        try Validation.names(draft.channels, field: "channels")
        if let eventId = draft.eventId { try Validation.name(eventId, field: "eventId") }
        if let priority = draft.priority { try Validation.priority(level: priority) }
        guard draft.rawPayload.map(RawJSON.looksLikeObject) ?? draft.payload.isObject else {
            throw HooklineError.invalid("payload", message: "payload must be a JSON object")
        }
        let application = try await application(appIdOrUid)
        // Whole milliseconds, as stored: the answer shows the same time a later read does.
        let now = Date(millisecondsSince1970: clock.now().millisecondsSince1970)
        let message = Message(
            id: Identifier.make(.message, at: now), appId: application.id, eventType: draft.eventType,
            eventId: draft.eventId, payload: try draft.rawPayload ?? draft.payload.canonicalData(), channels: draft.channels,
            tags: draft.tags, createdAt: now, priority: draft.priority ?? PriorityLane.normal.level)
        let endpoints = try await store.allEndpoints(appId: application.id)
        let targets = router.route(eventType: draft.eventType, channels: draft.channels, payload: message.payload, to: endpoints)
        let skipped = router.skipped(eventType: draft.eventType, channels: draft.channels, payload: message.payload, among: endpoints)
        let deliverAt = max(draft.deliverAt ?? now, now)
        let outcome = try await committer.commit(
            NewMessage(
                message: message, endpointIds: targets.map(\.id), deliverAt: deliverAt, skippedEndpointIds: skipped.map(\.id),
                endpoints: targets, applicationThrottleRate: application.throttleRate))
        switch outcome {
        case .inserted:
            metrics.messagesCreated.increment()
            metrics.deliveriesCreated.increment(by: targets.count)
            return message
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
