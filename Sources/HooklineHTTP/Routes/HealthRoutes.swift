import Foundation
import HooklineCore
import Hummingbird
import Synchronization

/// Whether the server is ready to take traffic; `/api/v1/health` reports it.
package final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)

    /// Creates a readiness flag, initially not ready.
    package init() {}

    /// Whether the server is ready.
    package var isReady: Bool { ready.load(ordering: .relaxed) }

    /// Marks the server ready or not.
    package func set(_ value: Bool) { ready.store(value, ordering: .relaxed) }
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

/// The readiness detail a node exposes: a function that measures and judges it now.
package struct HealthDetail: Sendable {
    /// Measures the node and returns the verdict.
    package let evaluate: @Sendable () async -> HealthReport

    /// Wraps a verdict function.
    package init(evaluate: @escaping @Sendable () async -> HealthReport) {
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

/// `GET /api/v1/status`: the cached status report; unavailable parts are marked, never fatal.
struct StatusRoutes<Clock: HooklineClock> {
    let board: StatusBoard<Clock>

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("status") { _, _ in
            let report = await board.report()
            var members = report.parts
            members["generatedAt"] = .string(report.generatedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            return try JSONCoding.response(.ok, JSONValue.object(members))
        }
    }
}
