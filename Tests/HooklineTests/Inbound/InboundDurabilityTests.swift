import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(5))) struct InboundDurabilityTests {
    /// Acknowledged inbound requests survive SIGKILL: after a restart every one is routed once and delivered.
    @Test func everyAcknowledgedInboundRequestIsDeliveredAfterSIGKILL() async throws {
        let directory = try TemporaryDirectory()
        try await RecordingReceiver.with { receiver, receiverURL in
            let first = try HooklineProcess(arguments: DurabilityTests.arguments + ["--data-dir", directory.path])
            let base = try await first.baseURL()
            let api = APIClient(baseURL: base)
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Durable inbound"]).json["id"] as? String)
            #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook"]).status == 201)
            let source = try await api.call(
                "POST", "/api/v1/source",
                json: [
                    "name": "Token", "app": appId, "verification": ["scheme": "header-token", "header": "x-token"], "secret": "t0ken",
                    "dedupId": "header:x-delivery",
                ])
            let sourceId = try #require(source.json["id"] as? String)
            let refused = try await InboundClient(baseURL: base).send("/in/\(sourceId)", body: Data("x".utf8), headers: [("x-token", "wrong")])
            #expect(refused.status == 401)
            let metrics = String(decoding: try await api.call("GET", "/metrics").body, as: UTF8.self)
            #expect(
                metrics.contains("hookline_inbound_verification_failures_total 1"),
                "\(metrics.split(separator: "\n").filter { $0.contains("inbound") })")
            receiver.failNext(100)
            let inbound = InboundClient(baseURL: base)
            let acknowledged = try await withThrowingTaskGroup(of: Data?.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let body = Data("payload \(index) \u{0}\u{1}".utf8)
                        let reply = try? await inbound.send(
                            "/in/\(sourceId)", body: body,
                            headers: [("x-token", "t0ken"), ("x-delivery", "d-\(index)"), ("content-type", "text/plain")])
                        return reply?.status == 200 ? body : nil
                    }
                }
                var bodies: Set<Data> = []
                for try await body in group { if let body { bodies.insert(body) } }
                return bodies
            }
            await first.terminate(SIGKILL)
            #expect(acknowledged.count == 200, "every request before the kill was acknowledged")

            let second = try HooklineProcess(arguments: DurabilityTests.arguments + ["--data-dir", directory.path])
            let restarted = APIClient(baseURL: try await second.baseURL())
            let delivered = await receiver.waitUntil(timeout: .seconds(60)) { received in
                Set(received.filter { $0.path == "/hook" }.map(\.body)).isSuperset(of: acknowledged)
            }
            #expect(delivered, "missing after restart: \(acknowledged.subtracting(Set(receiver.received.map(\.body))).count)")
            var messages = 0
            var iterator = ""
            for _ in 0..<10 {
                let page = try await restarted.call("GET", "/api/v1/app/\(appId)/msg?limit=250" + (iterator.isEmpty ? "" : "&iterator=\(iterator)"))
                messages += (page.json["data"] as? [Any])?.count ?? 0
                guard page.json["done"] as? Bool == false, let next = page.json["iterator"] as? String else { break }
                iterator = next
            }
            #expect(messages == acknowledged.count, "each acknowledged request became exactly one message")
            #expect(await second.terminate(SIGTERM) == 0, "graceful shutdown exits 0")
        }
    }
}
