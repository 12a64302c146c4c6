import Foundation

extension InboundGateway {
    /// How much of a rejected request's body is kept for inspection.
    public static var rejectedBodyLimit: Int { 64 << 10 }

    /// The source with this id or uid; throws `notFound`.
    public func source(_ idOrUid: String) async throws -> Source {
        guard let source = try await store.source(idOrUid) else { throw HooklineError.notFound("source") }
        return source
    }

    /// Verifies `request` on its raw bytes and stores it durably; returns the acknowledgement.
    ///
    /// A failed verification is stored as `rejected`, counted, and thrown as `verificationFailed`
    /// with the reason. A repeat of an event id within the window is stored as a duplicate and
    /// acknowledged like the first.
    public func receive(_ source: Source, _ request: InboundHTTPRequest) async throws -> InboundAck {
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
