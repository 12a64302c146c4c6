import Foundation
import HooklineCore

extension StoreConformance {
    /// The checks of tenant-portal tokens.
    static let portalTokenChecks: [Check] = [
        Check(name: "portal tokens: round trip, revocation, expire-all, expiry sweep", run: portalTokens)
    ]

    static func portalTokens(_ store: any HooklineStore) async throws {
        let later = t0.addingTimeInterval(3600)
        let token = PortalToken(
            digest: PortalToken.digest(of: "hlpt_one"), appId: "app_1", readOnly: true, featureFlags: ["beta", "ops"],
            sessionId: "session-1", createdAt: t0, expiresAt: later)
        try await store.insertPortalToken(token)
        try await expect(try await store.portalToken(digest: token.digest) == token, "read back as written")
        try await expectConflict { try await store.insertPortalToken(token) }
        let plain = PortalToken(
            digest: PortalToken.digest(of: "hlpt_two"), appId: "app_2", readOnly: false, featureFlags: [], sessionId: nil, createdAt: t0,
            expiresAt: t0.addingTimeInterval(60))
        try await store.insertPortalToken(plain)
        try await expect(try await store.portalToken(digest: plain.digest) == plain, "no flags, no session")
        try await expect(try await store.portalToken(digest: PortalToken.digest(of: "hlpt_unknown")) == nil, "unknown digest")

        let revokedAt = t0.addingTimeInterval(10)
        try await expect(try await store.revokePortalToken(digest: token.digest, now: revokedAt), "a usable token is revoked")
        try await expect(!(try await store.revokePortalToken(digest: token.digest, now: revokedAt)), "revoking twice changes nothing")
        let read = try await store.portalToken(digest: token.digest)
        try await expect(
            read?.revokedAt == revokedAt && read?.isUsable(at: revokedAt) == false, "revocation is kept, got \(String(describing: read))")
        try await expect(
            !(try await store.revokePortalToken(digest: plain.digest, now: t0.addingTimeInterval(60))), "an expired token is not revoked")
        try await expect(try await store.portalToken(digest: plain.digest)?.revokedAt == nil, "the expired token is left as it was")

        let sessionA = PortalToken(
            digest: PortalToken.digest(of: "hlpt_a"), appId: "app_3", readOnly: false, featureFlags: [], sessionId: "a", createdAt: t0,
            expiresAt: later)
        var sessionB = sessionA
        sessionB.digest = PortalToken.digest(of: "hlpt_b")
        sessionB.sessionId = "b"
        try await store.insertPortalToken(sessionA)
        try await store.insertPortalToken(sessionB)
        let soon = t0.addingTimeInterval(30)
        try await expect(try await store.expirePortalTokens(appId: "app_3", sessionIds: ["b"], at: soon) == 1, "only session b's token")
        try await expect(try await store.portalToken(digest: sessionB.digest)?.expiresAt == soon, "session b expires at the cutoff")
        try await expect(try await store.portalToken(digest: sessionA.digest)?.expiresAt == later, "session a is untouched")
        try await expect(try await store.expirePortalTokens(appId: "app_3", sessionIds: nil, at: soon) == 1, "every other token of the app")
        try await expect(try await store.portalToken(digest: token.digest)?.expiresAt == later, "another application's token is untouched")

        try await expect(
            try await store.deletePortalTokens(expiredBefore: t0.addingTimeInterval(61)) == 3, "three tokens expired before the cutoff")
        try await expect(try await store.portalToken(digest: plain.digest) == nil, "the expired token is gone")
        try await expect(try await store.portalToken(digest: token.digest) != nil, "the other one stays until it expires")
    }
}
