import HooklineCore
import Hummingbird

/// The readiness detail a node exposes: a function that measures and judges it now.
public struct HealthDetail: Sendable {
    /// Measures the node and returns the verdict.
    public let evaluate: @Sendable () async -> HealthReport

    /// Wraps a verdict function.
    public init(evaluate: @escaping @Sendable () async -> HealthReport) {
        self.evaluate = evaluate
    }
}

/// `GET /api/v1/health/ready`: 200 with every check when the node is fit for traffic, 503 with the failing
/// checks' reasons when not (store unreachable, deliveries stalled, low disk, pending migrations); no authentication.
struct ReadinessRoutes {
    /// The readiness path, open without the API key.
    static let path = "/api/v1/health/ready"

    let readiness: Readiness
    let detail: HealthDetail

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("health/ready") { _, _ in
            guard readiness.isReady else {
                let starting = HealthReport(checks: [.init(name: "server", ok: false, reason: "starting")])
                return try JSONCoding.response(.serviceUnavailable, starting)
            }
            let report = await detail.evaluate()
            return try JSONCoding.response(report.ok ? .ok : .serviceUnavailable, report)
        }
    }
}
