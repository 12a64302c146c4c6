import Foundation
import HooklineCore
import HooklineHTTP
import HooklineSQLite
import HooklineTesting
import Logging
import Testing

@Suite(.timeLimit(.minutes(3))) struct OpenAPITests {
    static let methods: Set<String> = ["get", "head", "put", "post", "patch", "delete"]

    @Test func documentListsExactlyTheRoutesOfTheRouter() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [])
        let inboundWake = WakeSignal()
        let inbound = InboundGateway(
            store: harness.store, clock: harness.clock,
            committer: InboundGateway<SQLiteStore, ManualClock>.makeCommitter(
                store: harness.store, committed: inboundWake, logger: Logger(label: "test")),
            routerSignal: inboundWake, logger: Logger(label: "test"))
        let router = HooklineServer.makeRouter(
            configuration: .init(apiKey: "k"), gateway: harness.gateway, readiness: Readiness(), inbound: inbound,
            live: .standalone(gateway: harness.gateway, apiKey: "k", logger: Logger(label: "openapi")),
            health: HealthDetail { HealthReport(checks: []) })
        let routed = Set(router.routes.map { "\($0.method.rawValue.uppercased()) \($0.path.description)" }.filter { $0.contains(" /api/") })

        try await TestNode.with(.router) { server in
            let node = try await server.api().call("GET", "/api/v1/openapi.json").json
            let paths = try #require(node["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where Self.methods.contains(method) { documented.insert("\(method.uppercased()) \(path)") }
            }
            #expect(routed.subtracting(documented).isEmpty, "routes missing from the document: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
            #expect(routed.count > 20)
            #expect(node["openapi"] as? String == "3.1.0")
            #expect((node["info"] as? [String: Any])?["version"] as? String == HooklineVersion.current)

            let components = try #require(node["components"] as? [String: [String: Any]])
            let text = String(decoding: try JSONSerialization.data(withJSONObject: paths), as: UTF8.self)
            for match in text.matches(of: /#\\?\/components\\?\/(schemas|parameters|responses)\\?\/([A-Za-z]+)/) {
                #expect(components[String(match.1)]?[String(match.2)] != nil, "dangling reference \(match.0)")
            }
        }
    }

    @Test func documentIsServedWithoutAuthentication() async throws {
        try await TestNode.with(.router) { node in
            let reply = try await node.api(apiKey: nil).call("GET", "/api/v1/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(reply.json["paths"] is [String: Any])
        }
    }

    @Test func sendingAMessageDocumentsUnavailableAndOutcomeUnknown() async throws {
        try await TestNode.with(.router) { node in
            let document = try await node.api(apiKey: nil).call("GET", "/api/v1/openapi.json").json
            let create = ((document["paths"] as? [String: Any])?["/api/v1/app/{app_id}/msg"] as? [String: Any])?["post"] as? [String: Any]
            let responses = create?["responses"] as? [String: [String: Any]] ?? [:]
            #expect(responses["503"]?["$ref"] as? String == "#/components/responses/Unavailable")
            #expect(responses["504"]?["$ref"] as? String == "#/components/responses/OutcomeUnknown")
            let shared = (document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]] ?? [:]
            let unknown = shared["OutcomeUnknown"]?["description"] as? String ?? ""
            #expect(
                unknown.contains("outcome_unknown") && unknown.contains("Idempotency-Key"), "says what the answer means and how to retry: \(unknown)")
            let unavailable = (shared["Unavailable"]?["description"] as? String) ?? ""
            #expect(unavailable.contains("nothing was written"), "\(unavailable)")
        }
    }
}
