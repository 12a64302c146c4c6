import Foundation
import HooklineCore
import Hummingbird

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
