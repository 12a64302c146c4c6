import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct TailCommandTests {
    @Test func tailReplaysFiltersAndPrintsOneLinePerEvent() async throws {
        try await TestNode.with { node in
            let api = APIClient(baseURL: node.baseURL)
            let appId = try await StreamTests.app(api, "Tail")
            let first = try await StreamTests.send(api, appId, type: "a.type")
            let second = try await StreamTests.send(api, appId, type: "b.type")
            let cli = CLIRunner(server: node.baseURL)

            let json = try await cli.run(["tail", "--app", appId, "--last-event-id", "0", "--count", "2", "--json"])
            #expect(json.status == 0, "\(json.stderr)")
            let lines = json.stdout.split(separator: "\n").map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
            #expect(lines.compactMap { $0["event"] as? String } == ["message.created", "message.created"])
            #expect(lines.compactMap { ($0["data"] as? [String: Any])?["msgId"] as? String } == [first, second])

            let text = try await cli.run(["tail", "--app", appId, "--event-types", "b.type", "--last-event-id", "0", "--count", "1"])
            #expect(text.status == 0, "\(text.stderr)")
            let line = text.stdout.trimmingCharacters(in: .newlines)
            #expect(line.contains("message.created") && line.contains(second) && !line.contains(first))
            #expect(!line.contains("\u{1B}["), "no colours when not on a terminal")
            #expect(!line.contains("\n"))

            let denied = try await CLIRunner(server: node.baseURL, apiKey: "wrong").run(["tail", "--count", "1"])
            #expect(denied.status != 0)
        }
    }
}
