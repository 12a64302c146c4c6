import Foundation

extension Gateway {
    /// Creates an application; with `getIfExists`, returns the existing one with the same uid instead.
    package func createApplication(_ draft: ApplicationDraft, getIfExists: Bool = false) async throws -> (Application, created: Bool) {
        try validate(draft)
        if getIfExists, let uid = draft.uid, let existing = try await store.application(uid) {
            return (existing, false)
        }
        let now = clock.now()
        let application = Application(
            id: Identifier.make(.application, at: now), uid: draft.uid, name: draft.name, metadata: draft.metadata ?? [:],
            throttleRate: draft.throttleRate, createdAt: now, updatedAt: now)
        try await store.insertApplication(application)
        return (application, true)
    }

    /// The application with this id or uid; throws `notFound`.
    package func application(_ idOrUid: String) async throws -> Application {
        guard let application = try await store.application(idOrUid) else { throw HooklineError.notFound("application") }
        return application
    }

    /// A page of applications.
    package func applications(_ page: PageRequest) async throws -> Page<Application> {
        try checkPage(page)
        return try await store.applications(page)
    }

    /// Replaces an application's fields.
    package func replaceApplication(_ idOrUid: String, with draft: ApplicationDraft) async throws -> Application {
        try validate(draft)
        var application = try await application(idOrUid)
        application.name = draft.name
        application.uid = draft.uid
        application.metadata = draft.metadata ?? [:]
        application.throttleRate = draft.throttleRate
        application.updatedAt = clock.now()
        try await store.updateApplication(application)
        return application
    }

    /// Deletes an application and everything it owns.
    package func deleteApplication(_ idOrUid: String) async throws {
        let application = try await application(idOrUid)
        try await store.deleteApplication(id: application.id)
    }

    private func validate(_ draft: ApplicationDraft) throws {
        guard !draft.name.isEmpty, draft.name.count <= 256 else {
            throw HooklineError.invalid("name", message: "name must be 1 to 256 characters")
        }
        try Validation.uid(draft.uid)
        try Validation.throttleRate(draft.throttleRate)
    }
}

extension Gateway {
    /// Issues a portal token for an application (created from `draft.application` when it does not exist yet).
    ///
    /// Returns the bearer string (shown once, never stored) and the stored record.
    package func issuePortalToken(appIdOrUid: String, _ draft: PortalAccessDraft) async throws -> (secret: String, token: PortalToken) {
        try draft.validate()
        var application = try await store.application(appIdOrUid)
        if application == nil, var definition = draft.application {
            if definition.uid == nil, !Identifier.hasKnownPrefix(appIdOrUid) { definition.uid = appIdOrUid }
            application = try await createApplication(definition, getIfExists: true).0
        }
        guard let application else { throw HooklineError.notFound("application") }
        let now = clock.now()
        let secret = PortalToken.makeSecret()
        let token = PortalToken(
            digest: PortalToken.digest(of: secret), appId: application.id, readOnly: draft.readOnly, featureFlags: draft.featureFlags,
            sessionId: draft.sessionId, createdAt: now, expiresAt: now.addingTimeInterval(Double(try draft.lifetime())))
        try await store.insertPortalToken(token)
        return (secret, token)
    }

    /// The usable token behind a bearer string; throws `unauthorized` when it is unknown, expired or revoked.
    package func portalToken(secret: String) async throws -> PortalToken {
        guard secret.hasPrefix(PortalToken.prefix), let token = try await store.portalToken(digest: PortalToken.digest(of: secret)),
            token.isUsable(at: clock.now())
        else {
            throw HooklineError(.unauthorized, "the portal token is unknown, expired or revoked")
        }
        return token
    }

    /// Makes an application's portal tokens (those of `sessionIds` only, when given) expire in `seconds` (0: now).
    package func expirePortalTokens(appIdOrUid: String, sessionIds: [String]?, in seconds: Int) async throws {
        guard (0...PortalAccessDraft.maximumExpiry).contains(seconds) else {
            throw HooklineError.invalid("expiry", message: "expiry must be between 0 and \(PortalAccessDraft.maximumExpiry) seconds")
        }
        let application = try await application(appIdOrUid)
        _ = try await store.expirePortalTokens(appId: application.id, sessionIds: sessionIds, at: clock.now().addingTimeInterval(Double(seconds)))
    }

    /// Revokes a portal token (logout); every node refuses it from now on.
    package func revokePortalToken(secret: String) async throws {
        let token = try await portalToken(secret: secret)
        _ = try await store.revokePortalToken(digest: token.digest, now: clock.now())
    }
}
