import Foundation

extension Gateway {
    /// Issues a portal token for an application (created from `draft.application` when it does not exist yet).
    ///
    /// Returns the bearer string (shown once, never stored) and the stored record.
    public func issuePortalToken(appIdOrUid: String, _ draft: PortalAccessDraft) async throws -> (secret: String, token: PortalToken) {
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
    public func portalToken(secret: String) async throws -> PortalToken {
        guard secret.hasPrefix(PortalToken.prefix), let token = try await store.portalToken(digest: PortalToken.digest(of: secret)),
            token.isUsable(at: clock.now())
        else {
            throw HooklineError(.unauthorized, "the portal token is unknown, expired or revoked")
        }
        return token
    }

    /// Makes an application's portal tokens (those of `sessionIds` only, when given) expire in `seconds` (0: now).
    public func expirePortalTokens(appIdOrUid: String, sessionIds: [String]?, in seconds: Int) async throws {
        guard (0...PortalAccessDraft.maximumExpiry).contains(seconds) else {
            throw HooklineError.invalid("expiry", message: "expiry must be between 0 and \(PortalAccessDraft.maximumExpiry) seconds")
        }
        let application = try await application(appIdOrUid)
        _ = try await store.expirePortalTokens(appId: application.id, sessionIds: sessionIds, at: clock.now().addingTimeInterval(Double(seconds)))
    }

    /// Revokes a portal token (logout); every node refuses it from now on.
    public func revokePortalToken(secret: String) async throws {
        let token = try await portalToken(secret: secret)
        _ = try await store.revokePortalToken(digest: token.digest, now: clock.now())
    }
}
