import Foundation

extension Gateway {
    /// Accepts a message: routes it, and returns once it and its deliveries are durably committed.
    public func createMessage(appIdOrUid: String, _ draft: MessageDraft) async throws -> Message {
        try Validation.name(draft.eventType, field: "eventType")
        try Validation.names(draft.channels, field: "channels")
        if let eventId = draft.eventId { try Validation.name(eventId, field: "eventId") }
        guard draft.payload.isObject else {
            throw HooklineError.invalid("payload", message: "payload must be a JSON object")
        }
        let application = try await application(appIdOrUid)
        let now = clock.now()
        let message = Message(
            id: Identifier.make(.message, at: now), appId: application.id, eventType: draft.eventType,
            eventId: draft.eventId, payload: try draft.payload.canonicalData(), channels: draft.channels,
            tags: draft.tags, createdAt: now)
        let endpoints = try await store.allEndpoints(appId: application.id)
        let targets = router.route(eventType: draft.eventType, channels: draft.channels, to: endpoints)
        let deliverAt = max(draft.deliverAt ?? now, now)
        let outcome = try await committer.commit(NewMessage(message: message, endpointIds: targets.map(\.id), deliverAt: deliverAt))
        switch outcome {
        case .inserted:
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

    /// A page of an application's messages.
    public func messages(appIdOrUid: String, _ page: PageRequest) async throws -> Page<Message> {
        try checkPage(page)
        let application = try await application(appIdOrUid)
        return try await store.messages(appId: application.id, page: page)
    }

    /// A page of the attempts made for a message.
    public func attempts(appIdOrUid: String, messageId: String, _ page: PageRequest) async throws -> Page<Attempt> {
        try checkPage(page)
        let message = try await message(appIdOrUid: appIdOrUid, messageId)
        return try await store.attempts(AttemptQuery(appId: message.appId, messageId: message.id, page: page))
    }

    /// A page of the attempts made to an endpoint.
    public func attempts(appIdOrUid: String, endpointIdOrUid: String, _ page: PageRequest) async throws -> Page<Attempt> {
        try checkPage(page)
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, endpointIdOrUid)
        return try await store.attempts(AttemptQuery(appId: endpoint.appId, endpointId: endpoint.id, page: page))
    }
}
