import Foundation
import HooklineCore
import HooklineHTTP
import HooklineSQLite
import HooklineTesting
import Logging
import ServiceLifecycle
import Testing

/// The services a node runs are the ones `docs/architecture.md` ("Services and shutdown") lists, in order.
@Suite(.timeLimit(.minutes(1))) struct NodeServicesDocsTests {
    /// The table rows of the section: (service, runs).
    static var documented: [(name: String, runs: String)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = (try? String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)) ?? ""
        guard let start = text.range(of: "## Services and shutdown\n") else { return [] }
        let section = String(text[start.upperBound...]).components(separatedBy: "\n## ").first ?? ""
        return section.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, Int(cells[0]) != nil else { return nil }
            return (cells[1].replacingOccurrences(of: "`", with: ""), cells[2])
        }
    }

    /// A service's type name without generic arguments; the Hummingbird application is the HTTP server.
    static func name(of service: Any) -> String {
        let type = String(describing: Swift.type(of: service))
        let base = String(type.prefix { $0 != "<" })
        switch base {
        case "Application": return "HTTP server"
        case "BatchCommitter": return "inbound BatchCommitter"
        default: return base
        }
    }

    /// Wires a node over a fresh SQLite store, hands its service names to `body`, then runs the node until it
    /// listens and shuts it down (its HTTP clients must be shut down before they are released).
    static func withNode(
        _ configure: (inout HooklineNode<SQLiteStore>.Configuration) -> Void = { _ in }, _ body: ([String]) -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore.open(path: directory.path + "/hookline.sqlite")
        var configuration = HooklineNode<SQLiteStore>.Configuration(server: .init(port: 0, apiKey: "k"))
        configure(&configuration)
        var logger = Logger(label: "docs")
        logger.logLevel = .warning
        let (listening, ready) = AsyncStream.makeStream(of: Int.self)
        let node = HooklineNode(configuration: configuration, store: store, logger: logger) { port in ready.yield(port) }
        body(node.services.map(name(of:)))
        let group = ServiceGroup(services: node.services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for await _ in listening { break }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func sqliteNodeRunsExactlyTheServicesListedAsAlways() async throws {
        let always = Self.documented.filter { $0.runs == "always" }.map(\.name)
        #expect(always.count == 12, "the table lists \(Self.documented.count) services, \(always.count) always: \(always)")
        try await Self.withNode { services in
            #expect(services == always)
        }
    }

    @Test func operationalForwarderIsListedAndRunsLastWhenConfigured() async throws {
        #expect(Self.documented.contains { $0.name == "OperationalForwarder" && $0.runs.contains("--operational-webhook-url") })
        try await Self.withNode({ $0.operational = .init(url: "http://127.0.0.1:9/operational", secret: Fixtures.secret) }) { services in
            #expect(services.last == "OperationalForwarder")
        }
    }
}
