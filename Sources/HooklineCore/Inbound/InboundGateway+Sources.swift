import Foundation

extension InboundGateway {
    /// Creates a source for an existing application.
    public func createSource(_ draft: SourceDraft) async throws -> Source {
        guard let application = try await store.application(draft.app) else { throw HooklineError.notFound("application") }
        let now = clock.now()
        let secret = draft.verification.needsSecret ? (draft.secret ?? EndpointSecret.random().encoded) : draft.secret
        let source = Source(
            id: Identifier.make(.source, at: now), uid: draft.uid, name: draft.name, appId: application.id,
            verification: draft.verification, secret: secret, eventType: draft.eventType, dedupId: draft.dedupId,
            dedupWindowSeconds: draft.dedupWindowSeconds ?? Int(configuration.dedupWindow.components.seconds),
            correlationId: draft.correlationId, maxBodyBytes: draft.maxBodyBytes, ackStatus: draft.ackStatus ?? 200,
            ackBody: draft.ackBody, createdAt: now, updatedAt: now)
        try SourceValidation.check(source)
        try await store.insertSource(source)
        return source
    }

    /// A page of sources.
    public func sources(_ page: PageRequest) async throws -> Page<Source> {
        try Validation.limit(page.limit)
        return try await store.sources(page)
    }

    /// Changes the fields `patch` sets; a new secret retires the old one for the grace period.
    public func patchSource(_ idOrUid: String, _ patch: SourcePatch) async throws -> Source {
        var source = try await source(idOrUid)
        let now = clock.now()
        patch.name.apply(to: &source.name)
        patch.uid.apply(to: &source.uid)
        if case .set(let app) = patch.app {
            guard let application = try await store.application(app) else { throw HooklineError.notFound("application") }
            source.appId = application.id
        }
        patch.verification.apply(to: &source.verification)
        if case .set(let secret) = patch.secret {
            let grace = patch.secretGracePeriod ?? configuration.secretGracePeriod
            guard grace >= .zero, grace <= .seconds(7 * 86_400) else {
                throw HooklineError.invalid("secretGracePeriodSeconds", message: "secretGracePeriodSeconds must be between 0 and 604800")
            }
            source.rotateSecret(to: secret, gracePeriod: grace, now: now)
        }
        if source.verification.needsSecret && source.secret == nil { source.secret = EndpointSecret.random().encoded }
        patch.eventType.apply(to: &source.eventType)
        patch.dedupId.apply(to: &source.dedupId)
        patch.dedupWindowSeconds.apply(to: &source.dedupWindowSeconds)
        patch.correlationId.apply(to: &source.correlationId)
        patch.maxBodyBytes.apply(to: &source.maxBodyBytes)
        patch.ackStatus.apply(to: &source.ackStatus)
        patch.ackBody.apply(to: &source.ackBody)
        source.updatedAt = now
        try SourceValidation.check(source)
        try await store.updateSource(source)
        return source
    }

    /// Deletes a source and its stored requests (messages already routed stay).
    public func deleteSource(_ idOrUid: String) async throws {
        let source = try await source(idOrUid)
        try await store.deleteSource(id: source.id)
    }
}
