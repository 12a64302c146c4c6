import Foundation

extension Gateway {
    /// Creates an endpoint of an application.
    package func createEndpoint(appIdOrUid: String, _ draft: EndpointDraft) async throws -> Endpoint {
        let application = try await application(appIdOrUid)
        let secret = try draft.secret.map(EndpointSecret.init) ?? .random()
        try await validate(draft)
        try await rejectArchived(draft.eventTypes)
        let payloadFilter = try draft.payloadFilter.map { try PayloadFilter(json: $0) }
        let now = clock.now()
        var endpoint = Endpoint(
            id: Identifier.make(.endpoint, at: now), appId: application.id, uid: draft.uid, url: draft.url,
            description: draft.description ?? "", eventTypes: draft.eventTypes, channels: draft.channels,
            disabled: draft.disabled ?? false, secret: secret, metadata: draft.metadata ?? [:],
            headers: draft.headers ?? [:], throttleRate: draft.throttleRate, createdAt: now, updatedAt: now,
            payloadFilter: payloadFilter)
        endpoint.ordered = draft.ordered ?? false
        try await store.insertEndpoint(endpoint)
        return endpoint
    }

    /// The endpoint with this id or uid; throws `notFound`.
    package func endpoint(appIdOrUid: String, _ idOrUid: String) async throws -> Endpoint {
        let application = try await application(appIdOrUid)
        guard let endpoint = try await store.endpoint(appId: application.id, idOrUid: idOrUid) else {
            throw HooklineError.notFound("endpoint")
        }
        return endpoint
    }

    /// A page of an application's endpoints.
    package func endpoints(appIdOrUid: String, _ page: PageRequest) async throws -> Page<Endpoint> {
        try checkPage(page)
        let application = try await application(appIdOrUid)
        return try await store.endpoints(appId: application.id, page: page)
    }

    /// Replaces an endpoint's fields; its secret is kept unless the draft names one.
    package func replaceEndpoint(appIdOrUid: String, _ idOrUid: String, with draft: EndpointDraft) async throws -> Endpoint {
        var endpoint = try await endpoint(appIdOrUid: appIdOrUid, idOrUid)
        try await validate(draft)
        try await rejectArchived(draft.eventTypes, keeping: endpoint.eventTypes)
        if let secret = draft.secret { endpoint.secret = try EndpointSecret(secret) }
        endpoint.url = draft.url
        endpoint.description = draft.description ?? ""
        endpoint.eventTypes = draft.eventTypes
        endpoint.channels = draft.channels
        endpoint.disabled = draft.disabled ?? false
        endpoint.uid = draft.uid
        endpoint.metadata = draft.metadata ?? [:]
        endpoint.headers = draft.headers ?? [:]
        endpoint.throttleRate = draft.throttleRate
        endpoint.ordered = draft.ordered ?? false
        endpoint.payloadFilter = try draft.payloadFilter.map { try PayloadFilter(json: $0) }
        endpoint.updatedAt = clock.now()
        try await store.updateEndpoint(endpoint)
        return endpoint
    }

    /// Deletes an endpoint; its pending deliveries are canceled.
    package func deleteEndpoint(appIdOrUid: String, _ idOrUid: String) async throws {
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, idOrUid)
        try await store.deleteEndpoint(appId: endpoint.appId, id: endpoint.id, now: clock.now())
    }

    private func validate(_ draft: EndpointDraft) async throws {
        try await urlGuard.check(draft.url)
        try Validation.uid(draft.uid)
        try Validation.names(draft.eventTypes, field: "eventTypes")
        try Validation.names(draft.channels, field: "channels", maxCount: 10)
        try Validation.throttleRate(draft.throttleRate)
        try Validation.headers(draft.headers)
        if let description = draft.description, description.count > 4096 {
            throw HooklineError.invalid("description", message: "description must be at most 4096 characters")
        }
    }
}

extension Gateway {
    /// Rotates an endpoint's secret to `key` (generated when `nil`; `whsec_` optional); the old secret keeps
    /// signing for `gracePeriod` (the configured default when `nil`, at most 7 days).
    package func rotateSecret(appIdOrUid: String, _ idOrUid: String, key: String?, gracePeriod: Duration? = nil) async throws -> Endpoint {
        var endpoint = try await endpoint(appIdOrUid: appIdOrUid, idOrUid)
        let grace = gracePeriod ?? secretGracePeriod
        guard grace >= .zero, grace <= .seconds(7 * 24 * 3600) else {
            throw HooklineError.invalid("gracePeriodSeconds", message: "gracePeriodSeconds must be between 0 and 604800")
        }
        let secret = try key.map { try EndpointSecret($0.hasPrefix(EndpointSecret.prefix) ? $0 : EndpointSecret.prefix + $0) } ?? .random()
        let now = clock.now()
        endpoint.rotateSecret(to: secret, gracePeriod: grace, now: now)
        endpoint.updatedAt = now
        try await store.updateEndpoint(endpoint)
        return endpoint
    }

    /// Replaces an endpoint's extra delivery headers (`set`), or merges `set` and removes `remove` when `merge`.
    package func updateHeaders(
        appIdOrUid: String, _ idOrUid: String, set headers: [String: String], remove: [String] = [], merge: Bool
    ) async throws -> Endpoint {
        var endpoint = try await endpoint(appIdOrUid: appIdOrUid, idOrUid)
        try Validation.headers(headers)
        var updated = merge ? endpoint.headers : [:]
        for (name, value) in headers { updated[name] = value }
        for name in remove { updated[name] = nil }
        endpoint.headers = updated
        endpoint.updatedAt = clock.now()
        try await store.updateEndpoint(endpoint)
        return endpoint
    }

    /// Queues a manual attempt of a message to an endpoint, due now, and wakes the engine.
    package func resend(appIdOrUid: String, messageId: String, endpointIdOrUid: String) async throws {
        let message = try await message(appIdOrUid: appIdOrUid, messageId)
        let endpoint = try await endpoint(appIdOrUid: message.appId, endpointIdOrUid)
        // An expunged or purged payload is stored empty (a JSON payload never is): nothing left to send (Svix).
        if message.payload.isEmpty && message.contentType == nil {
            throw HooklineError(.conflict, "the message's payload was expunged or purged by retention; it cannot be resent")
        }
        try await store.resendDelivery(ResendRequest(appId: message.appId, messageId: message.id, endpointId: endpoint.id, now: clock.now()))
        committer.deliverySignal.signal()
    }

    /// Starts re-queuing an endpoint's failed and skipped deliveries of messages created in `[since, until)`; returns the task.
    package func recover(appIdOrUid: String, endpointIdOrUid: String, since: Date, until: Date?) async throws -> BackgroundTask {
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, endpointIdOrUid)
        if let until, until <= since {
            throw HooklineError.invalid("until", message: "until must be later than since")
        }
        let now = clock.now()
        let task = BackgroundTask(
            id: Identifier.make(.task, at: now), kind: .endpointRecover, status: .running, appId: endpoint.appId,
            endpointId: endpoint.id, since: since, until: until, createdAt: now, updatedAt: now)
        try await store.insertTask(task)
        taskSignal.signal()
        return task
    }

    /// The background task with this id; throws `notFound`.
    package func task(id: String) async throws -> BackgroundTask {
        guard let task = try await store.task(id: id) else { throw HooklineError.notFound("background task") }
        return task
    }

    /// An endpoint's deliveries counted by state, for messages created in `[since, until)`.
    package func endpointStats(appIdOrUid: String, _ idOrUid: String, since: Date?, until: Date?) async throws -> DeliveryCounts {
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, idOrUid)
        return try await store.deliveryCounts(endpointId: endpoint.id, since: since, until: until)
    }
}
