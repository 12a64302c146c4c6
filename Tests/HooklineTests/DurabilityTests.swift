import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(5))) struct DurabilityTests {
    static let arguments = [
        "--port", "0", "--api-key", TestNode.apiKey, "--allow-network", "127.0.0.0/8", "--retry-schedule", "50ms,100ms,200ms,400ms,800ms",
        "--circuit-open-duration", "200ms", "--log-level", "error",
    ]

    @Test func everyAcknowledgedMessageIsDeliveredAfterSIGKILL() async throws {
        let directory = try TemporaryDirectory()
        try await RecordingReceiver.with { receiver, receiverURL in
            let first = try HooklineProcess(arguments: Self.arguments + ["--data-dir", directory.path])
            let api = APIClient(baseURL: try await first.baseURL())
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Durable"]).json["id"] as? String)
            #expect(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook"]).status == 201)
            receiver.failNext(150)

            let acknowledged = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        let reply = try? await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "burst", "payload": ["n": index]])
                        return reply?.status == 202 ? reply?.json["id"] as? String : nil
                    }
                }
                var ids: Set<String> = []
                for try await id in group { if let id { ids.insert(id) } }
                return ids
            }
            await first.terminate(SIGKILL)
            #expect(acknowledged.count == 300, "every request before the kill was acknowledged")

            let second = try HooklineProcess(arguments: Self.arguments + ["--data-dir", directory.path])
            let restarted = APIClient(baseURL: try await second.baseURL())
            var stored: [String] = []
            var iterator = ""
            for _ in 0..<10 {
                let page = try await restarted.call("GET", "/api/v1/app/\(appId)/msg?limit=250" + (iterator.isEmpty ? "" : "&iterator=\(iterator)"))
                stored += (page.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                guard page.json["done"] as? Bool == false, let next = page.json["iterator"] as? String else { break }
                iterator = next
            }
            #expect(Set(stored) == acknowledged && stored.count == acknowledged.count, "exactly the acknowledged messages are stored, none twice")
            let delivered = await receiver.waitUntil(timeout: .seconds(60)) { received in
                Set(received.compactMap { $0.headers["webhook-id"] }).isSuperset(of: acknowledged)
            }
            let seen = Set(receiver.received.compactMap { $0.headers["webhook-id"] })
            #expect(delivered, "missing after restart: \(acknowledged.subtracting(seen).count)")
            #expect(await second.terminate(SIGTERM) == 0, "graceful shutdown exits 0")
        }
    }

    @Test func adminKeyIsGeneratedOnceAndKept() async throws {
        let directory = try TemporaryDirectory()
        let arguments = ["--port", "0", "--data-dir", directory.path, "--log-level", "error"]
        let first = try HooklineProcess(arguments: arguments)
        _ = try await first.baseURL()
        let key = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("api key: hk_") }?.split(separator: " ")[2])
        #expect(await first.terminate(SIGTERM) == 0)

        let second = try HooklineProcess(arguments: arguments)
        let api = APIClient(baseURL: try await second.baseURL(), apiKey: String(key))
        #expect(try await api.call("GET", "/api/v1/app").status == 200, "the stored key still works after a restart")
        #expect(!second.stdout.contains(String(key)), "the key is printed only when generated")
        #expect(await second.terminate(SIGINT) == 0)
    }
}
