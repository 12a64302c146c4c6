import Foundation

extension InboundGateway {
    /// A page of a source's stored requests, newest first.
    public func requests(sourceIdOrUid: String, status: InboundStatus?, _ page: PageRequest) async throws -> Page<InboundRecord> {
        try Validation.limit(page.limit)
        let source = try await source(sourceIdOrUid)
        return try await store.inboundRequests(sourceId: source.id, status: status, page: page)
    }

    /// The stored request `id` of a source; throws `notFound`.
    public func request(sourceIdOrUid: String, _ id: String) async throws -> InboundRecord {
        let source = try await source(sourceIdOrUid)
        guard let record = try await store.inboundRequest(sourceId: source.id, id: id) else {
            throw HooklineError.notFound("inbound request")
        }
        return record
    }

    /// Routes a stored request again (a new message); a rejected or still pending request cannot be replayed.
    public func replay(sourceIdOrUid: String, _ id: String) async throws -> InboundRecord {
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
