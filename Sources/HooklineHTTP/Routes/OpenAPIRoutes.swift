import Hummingbird
import NIOCore

/// `GET /api/v1/openapi.json`: the API description; no authentication.
struct OpenAPIRoutes {
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
