import Foundation
import Logging

/// The inbound gateway's operations: source management, receiving provider requests, listing and replay.
///
/// Receiving verifies on the raw bytes, then commits the request through its `BatchCommitter`
/// (durable before the caller answers); the `InboundRouter` turns stored requests into messages.
package struct InboundGateway<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// Defaults for sources that do not set their own.
    package struct Configuration: Sendable {
        /// The largest body a source accepts unless it sets `maxBodyBytes`.
        package var maxBodyBytes: Int
        /// How long a seen event id makes repeats duplicates, unless the source sets a window.
        package var dedupWindow: Duration
        /// How long a replaced source secret stays accepted when the change names no grace period.
        package var secretGracePeriod: Duration

        /// Creates a configuration; defaults: 1 MiB bodies, a 24 h dedup window, a 24 h secret grace period.
        package init(maxBodyBytes: Int = 1 << 20, dedupWindow: Duration = .seconds(86_400), secretGracePeriod: Duration = .seconds(86_400)) {
            self.maxBodyBytes = maxBodyBytes
            self.dedupWindow = dedupWindow
            self.secretGracePeriod = secretGracePeriod
        }
    }

    /// The committer type for inbound requests.
    package typealias Committer = BatchCommitter<InboundRecord, InboundInsertOutcome>

    /// Source defaults.
    package let configuration: Configuration
    /// The store.
    package let store: Store
    /// The clock stamping requests and sources.
    package let clock: Clock
    /// The single writer for received requests.
    let committer: Committer
    /// Raised to wake the router (after every commit, and on replay).
    package let routerSignal: WakeSignal
    /// Counters.
    let metrics = InboundMetrics()
    /// Where failures are reported.
    let logger: Logger

    /// Creates a gateway committing through `committer`, whose commits raise `routerSignal`.
    package init(configuration: Configuration = .init(), store: Store, clock: Clock, committer: Committer, routerSignal: WakeSignal, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.committer = committer
        self.routerSignal = routerSignal
        self.logger = logger
    }

    /// A committer that stores inbound requests in `store` and raises `committed` after each transaction.
    package static func makeCommitter(store: Store, committed: WakeSignal, logger: Logger) -> Committer {
        Committer(committed: committed, logger: logger) { batch in try await store.insertInboundRequests(batch) }
    }

    /// The body limit of `source`.
    package func bodyLimit(of source: Source) -> Int {
        source.maxBodyBytes ?? configuration.maxBodyBytes
    }
}

extension InboundGateway {
    /// How much of a rejected request's body is kept for inspection.
    package static var rejectedBodyLimit: Int { 64 << 10 }

    /// The source with this id or uid; throws `notFound`.
    package func source(_ idOrUid: String) async throws -> Source {
        guard let source = try await store.source(idOrUid) else { throw HooklineError.notFound("source") }
        return source
    }

    /// Verifies `request` on its raw bytes and stores it durably; returns the acknowledgement.
    ///
    /// A failed verification is stored as `rejected`, counted, and thrown as `verificationFailed`
    /// with the reason. A repeat of an event id within the window is stored as a duplicate and
    /// acknowledged like the first.
    package func receive(_ source: Source, _ request: InboundHTTPRequest) async throws -> InboundAck {
        let now = clock.now()
        let outcome = source.verification.verifier.verify(request, secrets: source.acceptedSecrets(at: now), now: now)
        let credential = source.verification.credentialHeader
        let headers = request.headers.filter { header in
            !["authorization", "cookie", "proxy-authorization"].contains(header.name) && header.name != credential
        }
        var record = InboundRecord(
            id: Identifier.make(.inboundRequest, at: now), sourceId: source.id, status: outcome.isAccepted ? .pending : .rejected,
            verification: outcome, headers: headers, body: outcome.isAccepted ? request.body : request.body.prefix(Self.rejectedBodyLimit),
            receivedAt: now)
        guard outcome.isAccepted else {
            metrics.verificationFailures.increment()
            do {
                _ = try await committer.commit(record)
            } catch {
                logger.warning("recording a rejected inbound request failed", metadata: ["error": "\(error)"])
            }
            throw HooklineError(.verificationFailed, outcome.reason ?? "verification failed")
        }
        let json = source.effectiveDedupId?.kind == .json ? try? JSONDecoder().decode(JSONValue.self, from: request.body) : nil
        if let key = source.dedupKey(for: request, json: json) {
            record.dedupKey = String(key.prefix(512))
            record.dedupUntil = now.addingTimeInterval(TimeInterval(source.dedupWindowSeconds))
        }
        let inserted = try await committer.commit(record)
        let duplicate = inserted != .inserted
        if duplicate { metrics.duplicates.increment() } else { metrics.accepted.increment() }
        return InboundAck(requestId: record.id, duplicate: duplicate, status: source.ackStatus, body: source.ackBody)
    }
}

extension InboundGateway {
    /// A page of a source's stored requests, newest first.
    package func requests(sourceIdOrUid: String, status: InboundStatus?, _ page: PageRequest) async throws -> Page<InboundRecord> {
        try Validation.limit(page.limit)
        let source = try await source(sourceIdOrUid)
        return try await store.inboundRequests(sourceId: source.id, status: status, page: page)
    }

    /// The stored request `id` of a source; throws `notFound`.
    package func request(sourceIdOrUid: String, _ id: String) async throws -> InboundRecord {
        let source = try await source(sourceIdOrUid)
        guard let record = try await store.inboundRequest(sourceId: source.id, id: id) else {
            throw HooklineError.notFound("inbound request")
        }
        return record
    }

    /// Routes a stored request again (a new message); a rejected or still pending request cannot be replayed.
    package func replay(sourceIdOrUid: String, _ id: String) async throws -> InboundRecord {
        let record = try await request(sourceIdOrUid: sourceIdOrUid, id)
        guard record.status != .rejected else {
            throw HooklineError(.conflict, "a request that failed verification cannot be replayed")
        }
        guard try await store.requeueInboundRequest(id: record.id) else {
            throw HooklineError(.conflict, "the request is already waiting to be routed")
        }
        routerSignal.signal()
        return try await request(sourceIdOrUid: record.sourceId, id)
    }
}

extension InboundGateway {
    /// Creates a source for an existing application.
    package func createSource(_ draft: SourceDraft) async throws -> Source {
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
    package func sources(_ page: PageRequest) async throws -> Page<Source> {
        try Validation.limit(page.limit)
        return try await store.sources(page)
    }

    /// Changes the fields `patch` sets; a new secret retires the old one for the grace period.
    package func patchSource(_ idOrUid: String, _ patch: SourcePatch) async throws -> Source {
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
    package func deleteSource(_ idOrUid: String) async throws {
        let source = try await source(idOrUid)
        try await store.deleteSource(id: source.id)
    }
}

/// The answer to a provider whose request was stored.
package struct InboundAck: Sendable, Equatable {
    /// The stored request's `inreq_` id.
    package var requestId: String
    /// Whether it repeated an event id seen within the window (and will not be routed again).
    package var duplicate: Bool
    /// The status to answer with (the source's `ackStatus`).
    package var status: Int
    /// The body to answer with; `nil` for the default JSON.
    package var body: String?

    /// Creates an acknowledgement.
    package init(requestId: String, duplicate: Bool, status: Int, body: String?) {
        self.requestId = requestId
        self.duplicate = duplicate
        self.status = status
        self.body = body
    }
}
