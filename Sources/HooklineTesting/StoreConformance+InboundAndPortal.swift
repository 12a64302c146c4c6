import Foundation
import HooklineCore

extension StoreConformance {
    static func source(app: Application, uid: String? = nil, at time: Date) -> Source {
        Source(
            id: Identifier.make(.source, at: time), uid: uid, name: "GitHub", appId: app.id, verification: SourceVerification(scheme: .github),
            secret: "It's a Secret to Everybody", eventType: FieldSelector(.header, "x-github-event"), createdAt: time, updatedAt: time)
    }

    static func inboundRecord(_ source: Source, key: String?, at time: Date, window: TimeInterval = 60) -> InboundRecord {
        InboundRecord(
            id: Identifier.make(.inboundRequest, at: time), sourceId: source.id, status: .pending, verification: .verified,
            dedupKey: key, dedupUntil: time.addingTimeInterval(window), headers: [InboundHeader(name: "x-github-event", value: "push")],
            body: Data([0x00, 0xFF, 0x7B, 0x0A]), receivedAt: time)
    }

    static func sources(_ store: any HooklineStore) async throws {
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        var first = source(app: app, uid: "gh", at: t0)
        try await store.insertSource(first)
        try await expect(try await store.source(first.id) == first, "source read back by id")
        try await expect(try await store.source("gh") == first, "source read by uid")
        try await expectConflict { try await store.insertSource(source(app: app, uid: "gh", at: t0)) }
        let second = source(app: app, at: t0.addingTimeInterval(1))
        try await store.insertSource(second)
        let page = try await store.sources(PageRequest(limit: 1))
        try await expect(page.items.map(\.id) == [second.id] && !page.done, "sources newest first, paged")
        first.previousSecrets = [RetiredSourceSecret(secret: "old", expiresAt: t0.addingTimeInterval(60))]
        first.correlationId = FieldSelector(.json, "workflow.id")
        try await store.updateSource(first)
        try await expect(try await store.source(first.id) == first, "update is read back")
        try await store.deleteSource(id: first.id)
        try await expect(try await store.source("gh") == nil, "deleted source is gone")
    }

    static func inboundRequests(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let src = source(app: app, at: t0)
        try await store.insertSource(src)
        let first = inboundRecord(src, key: "d-1", at: t0)
        let repeated = inboundRecord(src, key: "d-1", at: t0.addingTimeInterval(1))
        let keyless = inboundRecord(src, key: nil, at: t0.addingTimeInterval(2))
        let outcomes = try await store.insertInboundRequests([first, repeated, keyless])
        try await expect(outcomes == [.inserted, .duplicate(of: first.id), .inserted], "a repeat within the window is a duplicate, got \(outcomes)")
        let later = inboundRecord(src, key: "d-1", at: t0.addingTimeInterval(120))
        try await expect(try await store.insertInboundRequests([later]) == [.inserted], "after the window the key is new again")
        var rejected = inboundRecord(src, key: "d-1", at: t0.addingTimeInterval(121))
        rejected.status = .rejected
        rejected.verification = .failed("signature mismatch")
        _ = try await store.insertInboundRequests([rejected])
        let pending = try await store.pendingInboundRequests(limit: 10)
        try await expect(pending.map(\.id) == [first.id, keyless.id, later.id], "pending requests oldest first")
        try await expect(pending[0].body == first.body && pending[0].headers == first.headers, "body and headers read back byte for byte")
        let stored = try await store.inboundRequest(sourceId: src.id, id: rejected.id)
        try await expect(stored?.verification == .failed("signature mismatch") && stored?.status == .rejected, "rejection is recorded")

        var message = Fixtures.message(app: app, at: t0)
        message.payload = first.body
        message.contentType = "application/octet-stream"
        message.correlationId = "wf-1"
        let routings = [
            InboundRouting.routed(first.id, as: NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0), now: t0),
            InboundRouting.failed(later.id, reason: "application not found", now: t0),
        ]
        try await store.routeInboundRequests(routings)
        try await store.routeInboundRequests(routings)
        try await expect(try await store.message(appId: app.id, id: message.id) == message, "routed message stored byte for byte")
        try await expect(try await store.deliveries(messageId: message.id).count == 1, "routing twice inserts one message and delivery")
        let routed = try await store.inboundRequest(sourceId: src.id, id: first.id)
        try await expect(routed?.status == .routed && routed?.messageId == message.id, "request marked routed")
        try await expect(try await store.inboundRequest(sourceId: src.id, id: later.id)?.status == .failed, "failed routing is recorded")
        try await expect(try await store.pendingInboundRequests(limit: 10).count == 1, "one request left pending")
        let duplicates = try await store.inboundRequests(sourceId: src.id, status: .duplicate, page: PageRequest())
        try await expect(duplicates.items.map(\.id) == [repeated.id] && duplicates.items[0].duplicateOf == first.id, "duplicates listed")
        try await expect(try await store.inboundRequests(sourceId: src.id, status: nil, page: PageRequest()).items.count == 5, "all listed")
        try await expect(try await store.requeueInboundRequest(id: first.id), "a routed request can be replayed")
        try await expect(!(try await store.requeueInboundRequest(id: rejected.id)), "a rejected request cannot")
        try await expect(try await store.pendingInboundRequests(limit: 10).first?.id == first.id, "replayed request is pending again")
    }
}

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
