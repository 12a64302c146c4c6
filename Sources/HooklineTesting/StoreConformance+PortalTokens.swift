import Foundation
import HooklineCore

extension StoreConformance {
    /// The checks of tenant-portal tokens.
    static let portalTokenChecks: [Check] = [
        Check(name: "portal tokens: round trip, revocation, expiry sweep", run: portalTokens)
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
        try await expect(read?.revokedAt == revokedAt && read?.isUsable(at: revokedAt) == false, "revocation is kept, got \(String(describing: read))")
        try await expect(
            !(try await store.revokePortalToken(digest: plain.digest, now: t0.addingTimeInterval(60))), "an expired token is not revoked")
        try await expect(try await store.portalToken(digest: plain.digest)?.revokedAt == nil, "the expired token is left as it was")

        try await expect(try await store.deletePortalTokens(expiredBefore: t0.addingTimeInterval(61)) == 1, "one token expired before the cutoff")
        try await expect(try await store.portalToken(digest: plain.digest) == nil, "the expired token is gone")
        try await expect(try await store.portalToken(digest: token.digest) != nil, "the other one stays until it expires")
    }
}
