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
