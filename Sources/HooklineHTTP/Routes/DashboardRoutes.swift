import Hummingbird

/// `GET /`, `/dashboard.css`, `/dashboard.js`: the embedded dashboard; the page itself asks for the admin key.
struct DashboardRoutes {
    /// The paths served without the admin key.
    static let paths: Set<String> = ["/", "/dashboard.css", "/dashboard.js"]

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Self.asset(DashboardAssets.html, type: "text/html; charset=utf-8") }
        router.get("dashboard.css") { _, _ in Self.asset(DashboardAssets.css, type: "text/css; charset=utf-8") }
        router.get("dashboard.js") { _, _ in Self.asset(DashboardAssets.script, type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
