import Foundation

extension Gateway {
    /// Rotates an endpoint's secret to `key` (generated when `nil`; `whsec_` optional); the old secret keeps
    /// signing for `gracePeriod` (the configured default when `nil`, at most 7 days).
    public func rotateSecret(appIdOrUid: String, _ idOrUid: String, key: String?, gracePeriod: Duration? = nil) async throws -> Endpoint {
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
    public func updateHeaders(
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
    public func resend(appIdOrUid: String, messageId: String, endpointIdOrUid: String) async throws {
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
    public func recover(appIdOrUid: String, endpointIdOrUid: String, since: Date, until: Date?) async throws -> BackgroundTask {
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
    public func task(id: String) async throws -> BackgroundTask {
        guard let task = try await store.task(id: id) else { throw HooklineError.notFound("background task") }
        return task
    }

    /// An endpoint's deliveries counted by state, for messages created in `[since, until)`.
    public func endpointStats(appIdOrUid: String, _ idOrUid: String, since: Date?, until: Date?) async throws -> DeliveryCounts {
        let endpoint = try await endpoint(appIdOrUid: appIdOrUid, idOrUid)
        return try await store.deliveryCounts(endpointId: endpoint.id, since: since, until: until)
    }
}
