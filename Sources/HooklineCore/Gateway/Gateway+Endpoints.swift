import Foundation

extension Gateway {
    /// Creates an endpoint of an application.
    public func createEndpoint(appIdOrUid: String, _ draft: EndpointDraft) async throws -> Endpoint {
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
    public func endpoint(appIdOrUid: String, _ idOrUid: String) async throws -> Endpoint {
        let application = try await application(appIdOrUid)
        guard let endpoint = try await store.endpoint(appId: application.id, idOrUid: idOrUid) else {
            throw HooklineError.notFound("endpoint")
        }
        return endpoint
    }

    /// A page of an application's endpoints.
    public func endpoints(appIdOrUid: String, _ page: PageRequest) async throws -> Page<Endpoint> {
        try checkPage(page)
        let application = try await application(appIdOrUid)
        return try await store.endpoints(appId: application.id, page: page)
    }

    /// Replaces an endpoint's fields; its secret is kept unless the draft names one.
    public func replaceEndpoint(appIdOrUid: String, _ idOrUid: String, with draft: EndpointDraft) async throws -> Endpoint {
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
    public func deleteEndpoint(appIdOrUid: String, _ idOrUid: String) async throws {
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
