import Foundation
import HooklineCore
import Hummingbird
import NIOCore

/// `POST /in/{source_id}`: the ingest URL providers call (no admin key; other methods get 405).
struct InboundRoutes<Store: HooklineStore, Clock: HooklineClock> {
    /// The path prefix the auth middleware lets through.
    static var publicPrefix: String { "/in/" }

    /// The inbound gateway.
    let routes: InboundRouteContext<Store, Clock>

    /// Adds the ingest route and its 405 siblings to `router`.
    func register(on router: Router<BasicRequestContext>) {
        router.post("in/{source_id}") { request, context in
            let source = try await routes.inbound.source(try context.parameters.path("source_id"))
            let limit = routes.inbound.bodyLimit(of: source)
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw HooklineError(.payloadTooLarge, "the body exceeds the source's limit of \(limit) bytes")
            }
            let headers = request.headers.map { ($0.name.canonicalName, $0.value) }
            let ack = try await routes.inbound.receive(source, InboundHTTPRequest(headers: headers, body: Data(buffer: buffer)))
            let status = HTTPResponse.Status(code: ack.status)
            guard let body = ack.body else { return try JSONCoding.response(status, InboundAckOut(id: ack.requestId, duplicate: ack.duplicate)) }
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil
            return Response(
                status: status, headers: [.contentType: isJSON ? "application/json" : "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        let refuse: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            throw HooklineError(.methodNotAllowed, "only POST is accepted at an ingest URL")
        }
        router.get("in/{source_id}", use: refuse)
        router.put("in/{source_id}", use: refuse)
        router.patch("in/{source_id}", use: refuse)
        router.delete("in/{source_id}", use: refuse)
    }
}

/// What the inbound routes need: the inbound gateway.
struct InboundRouteContext<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// The core inbound operations.
    let inbound: InboundGateway<Store, Clock>
    /// The body limit of the management calls.
    let maxBodyBytes: Int
}

/// `/api/v1/source…`: inbound sources, their stored requests, and replay.
struct SourceRoutes<Store: HooklineStore, Clock: HooklineClock> {
    /// The inbound gateway.
    let routes: InboundRouteContext<Store, Clock>

    /// Adds the source routes to the API group.
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("source") { request, _ in
            var request = request
            let body = try await request.decodeJSON(SourceIn.self, limit: routes.maxBodyBytes)
            return try JSONCoding.response(.created, SourceOut(try await routes.inbound.createSource(body.draft)))
        }
        group.get("source") { request, _ in
            let page = try await routes.inbound.sources(try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: SourceOut.init))
        }
        group.get("source/{source_id}") { _, context in
            try JSONCoding.response(.ok, SourceOut(try await routes.inbound.source(try context.parameters.path("source_id"))))
        }
        group.patch("source/{source_id}") { request, context in
            var request = request
            let body = try await request.decodeJSON(SourcePatchIn.self, limit: routes.maxBodyBytes)
            let source = try await routes.inbound.patchSource(try context.parameters.path("source_id"), body.patch)
            return try JSONCoding.response(.ok, SourceOut(source))
        }
        group.delete("source/{source_id}") { _, context in
            try await routes.inbound.deleteSource(try context.parameters.path("source_id"))
            return Response(status: .noContent)
        }
        group.get("source/{source_id}/request") { request, context in
            let status = try request.nonEmpty("status").map { text -> InboundStatus in
                guard let status = InboundStatus.allCases.first(where: { $0.label == text }) else {
                    throw HooklineError(.validation, "status must be pending, routed, duplicate, rejected or failed", field: ["query", "status"])
                }
                return status
            }
            let page = try await routes.inbound.requests(
                sourceIdOrUid: try context.parameters.path("source_id"), status: status, try request.pageRequest())
            return try JSONCoding.response(.ok, ListOut(page, transform: InboundRequestOut.init))
        }
        group.get("source/{source_id}/request/{request_id}") { _, context in
            let record = try await routes.inbound.request(
                sourceIdOrUid: try context.parameters.path("source_id"), try context.parameters.path("request_id"))
            return try JSONCoding.response(.ok, InboundRequestOut(record))
        }
        group.post("source/{source_id}/request/{request_id}/replay") { _, context in
            let record = try await routes.inbound.replay(
                sourceIdOrUid: try context.parameters.path("source_id"), try context.parameters.path("request_id"))
            return try JSONCoding.response(.accepted, InboundRequestOut(record))
        }
    }
}
