import Hummingbird
import NIOCore

/// `GET /api/v1/openapi.json`: the API description; no authentication.
struct OpenAPIRoutes {
    /// Adds the route to `group` (`/api/v1`).
    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
    }
}
