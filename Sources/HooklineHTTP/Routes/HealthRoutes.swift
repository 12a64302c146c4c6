import Hummingbird
import Synchronization

/// Whether the server is ready to take traffic; `/api/v1/health` reports it.
public final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)

    /// Creates a readiness flag, initially not ready.
    public init() {}

    /// Whether the server is ready.
    public var isReady: Bool { ready.load(ordering: .relaxed) }

    /// Marks the server ready or not.
    public func set(_ value: Bool) { ready.store(value, ordering: .relaxed) }
}

/// `GET /api/v1/health`: 200 when ready, 503 otherwise; `GET`/`HEAD /api/v1/health/ping`: 204 while the
/// process answers (liveness, as Svix). Neither needs authentication.
struct HealthRoutes {
    /// The liveness path, open without the API key.
    static let pingPath = "/api/v1/health/ping"

    struct Health: Encodable {
        var status: String
    }

    let readiness: Readiness

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("health") { _, _ in
            let ready = readiness.isReady
            return try JSONCoding.response(ready ? .ok : .serviceUnavailable, Health(status: ready ? "ok" : "starting"))
        }
        group.head("health") { _, _ in Response(status: readiness.isReady ? .ok : .serviceUnavailable) }
        group.get("health/ping") { _, _ in Response(status: .noContent) }
        group.head("health/ping") { _, _ in Response(status: .noContent) }
    }
}
