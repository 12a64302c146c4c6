import Foundation
import HTTPTypes
import HooklineCore
import Hummingbird
import NIOCore

/// Honours `idempotency-key` on POSTs: the first 2xx response is kept and replayed byte for byte to
/// repeats with the same key, credentials and URL; concurrent repeats wait for the first.
struct IdempotencyMiddleware<Context: RequestContext, Store: HooklineStore, Clock: HooklineClock>: RouterMiddleware {
    /// The request header that carries the caller's key.
    static var headerName: HTTPField.Name { HTTPField.Name("idempotency-key")! }

    /// The core single-flight gate and its store.
    let gate: IdempotencyGate<Store, Clock>

    /// Runs POSTs with a key through the gate; everything else passes straight on.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[Self.headerName], !key.isEmpty,
            !request.uri.path.hasPrefix(InboundRoutes<Store, Clock>.publicPrefix)
        else {
            return try await next(request, context)
        }
        let scope = IdempotencyGate<Store, Clock>.scope(
            credentials: request.headers[.authorization] ?? "", method: "POST", url: request.uri.description, key: key)
        let (kept, replayed) = try await gate.perform(scope: scope) {
            try await KeptResponse.collect(try await next(request, context))
        }
        var headers: HTTPFields = [:]
        if let contentType = kept.contentType { headers[.contentType] = contentType }
        if replayed { headers[HTTPField.Name("idempotent-replayed")!] = "true" }
        return Response(
            status: HTTPResponse.Status(code: kept.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: kept.body)))
    }
}

/// Responses as an idempotency key keeps them.
enum KeptResponse {
    /// The response with its body read into memory.
    static func collect(_ response: Response) async throws -> IdempotentResponse {
        let collector = BodyCollector()
        try await response.body.write(collector)
        return IdempotentResponse(status: Int(response.status.code), contentType: response.headers[.contentType], body: collector.data)
    }
}
