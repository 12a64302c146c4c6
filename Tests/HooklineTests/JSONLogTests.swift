import Foundation
import HooklineCore
import Logging
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(3))) struct JSONLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test func eachRecordIsOneJSONObjectWithLevelTimeMessageAndMetadata() throws {
        let captured = Lines()
        var handler = JSONLogHandler(label: "hookline.test") { line in captured.lines.withLock { $0.append(line) } }
        handler.logLevel = .info
        handler[metadataKey: "node"] = "a"
        let configured = handler
        let logger = Logger(label: "hookline.test", factory: { _ in configured })
        let fields: Logger.Metadata = ["endpoint": "ep_1", "attempts": .array(["1", "2"])]
        logger.debug("hidden below the level")
        logger.info("delivery \"failed\"\nretrying", metadata: fields)
        logger.error("store down")
        let lines = captured.lines.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { !$0.contains("\n") }, "one line per record")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["level"] as? String == "info" && first["label"] as? String == "hookline.test")
        #expect(first["message"] as? String == "delivery \"failed\"\nretrying")
        #expect((first["time"] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil, "\(first["time"] ?? "")")
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(metadata["endpoint"] as? String == "ep_1" && metadata["node"] as? String == "a")
        #expect(metadata["attempts"] as? [String] == ["1", "2"])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["level"] as? String == "error" && (second["source"] as? String)?.contains("JSONLogTests.swift") == true)
    }

    @Test func serveWritesJSONLinesWithoutTheAdminKey() async throws {
        let directory = try TemporaryDirectory()
        let secretKey = "hk_json_log_secret_key_0123456789"
        let errors = directory.path + "/stderr.log"
        #expect(FileManager.default.createFile(atPath: errors, contents: nil))
        let server = try ChildProcess(
            HooklineProcess.executable,
            ["serve", "--port", "0", "--data-dir", directory.path, "--api-key", secretKey, "--log-format", "json", "--log-level", "debug"],
            errors: .file(errors))
        #expect(await server.waitForOutput(timeout: .seconds(60)) { $0.contains("listening on") })
        server.send(SIGTERM)
        #expect(await server.exitStatus() == 0, "a graceful shutdown")
        let lines = try String(contentsOfFile: errors, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty, "debug logging wrote records")
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String && object?["time"] is String && object?["message"] is String, "not a JSON record: \(line)")
        }
        #expect(!lines.contains { $0.contains(secretKey) }, "the admin key never appears in logs")
    }
}
