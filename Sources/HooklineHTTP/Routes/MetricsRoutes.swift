import HooklineCore
import Hummingbird
import Prometheus

/// `GET /metrics`: the Prometheus text exposition, optionally behind its own Bearer token.
struct MetricsRoutes {
    let registry: PrometheusCollectorRegistry
    let token: String?
    /// The store's connection pool, brought up to date before each scrape's text is written.
    var pool: (any StorePoolReporting)? = nil

    func register(on router: Router<BasicRequestContext>) {
        router.get("metrics") { request, _ in
            if let token {
                let presented = request.headers[.authorization].map { Array($0.utf8.dropFirst("Bearer ".count)) } ?? []
                guard request.headers[.authorization]?.hasPrefix("Bearer ") == true,
                    ConstantTime.equal(presented, token.utf8)
                else {
                    throw HooklineError(.unauthorized, "missing or invalid metrics token")
                }
            }
            await pool?.reportPool()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
