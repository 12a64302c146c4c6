import Foundation
import HooklineTesting
import Testing

/// `serve` settings from defaults < `--config` file < `HOOKLINE_*` variables < flags, and `hookline config check`.
@Suite(.timeLimit(.minutes(3))) struct ConfigFileTests {
    /// Runs `hookline arguments` with only `environment` among the `HOOKLINE_*` variables.
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: String) async throws -> (status: Int32, output: String)
    {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HOOKLINE_") }.merging(environment) { _, new in new }
        let result = try await ChildProcess.run(HooklineProcess.executable, arguments, environment: environment, directory: directory)
        return (result.status, result.output)
    }

    @Test func layersAndSourcesWithSecretsRedacted() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.path + "/hookline.yaml"
        try """
        # settings for the test
        port: 9001
        retry-schedule: 5s,1m
        allow-network: [127.0.0.0/8, 10.0.0.0/8]
        api-key: hk_file_secret_0123456789
        database: postgres://hookline:s3cret-pw@db.internal:5432/hookline
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try await Self.run(["config", "check"], environment: ["HOOKLINE_CONFIG": file, "HOOKLINE_PORT": "9002"], in: directory.path)
        #expect(check.status == 0, "\(check.output)")
        let rows = Dictionary(
            check.output.split(separator: "\n").compactMap { line -> (String, [String])? in
                let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                return cells.count >= 3 ? (cells[0], Array(cells.dropFirst())) : nil
            }, uniquingKeysWith: { first, _ in first })
        #expect(rows["port"] == ["9002", "environment"], "the variable beats the file")
        #expect(rows["retry-schedule"] == ["5s,1m", "\(file):3"])
        #expect(rows["allow-network"] == ["127.0.0.0/8,10.0.0.0/8", "\(file):4"])
        #expect(rows["host"] == ["(127.0.0.1)", "default"])
        #expect(rows["api-key"] == ["***", "\(file):5"])
        #expect(rows["database"]?.first == "postgres://hookline:***@db.internal:5432/hookline")
        #expect(!check.output.contains("hk_file_secret") && !check.output.contains("s3cret-pw"), "secrets never printed")
    }

    @Test func unknownKeysAndBadValuesNameTheKeyAndLine() async throws {
        let directory = try TemporaryDirectory()
        let cases: [(String, String)] = [
            ("port: 8400\nprot: 9000\n", "bad.yaml:2: unknown key 'prot'"),
            ("port: 8400\n\nretry-schedule: 5x\n", "bad.yaml:3: retry-schedule: '5x' is not a duration"),
            ("port: eighty\n", "bad.yaml:1: port: HOOKLINE_PORT must be an integer"),
            ("host: [a, {b: c}]\n", "bad.yaml:1: 'host' must be a list of plain values"),
        ]
        for (text, expected) in cases {
            try text.write(toFile: directory.path + "/bad.yaml", atomically: true, encoding: .utf8)
            let check = try await Self.run(["config", "check", "--config", "bad.yaml"], in: directory.path)
            #expect(check.status != 0 && check.output.contains(expected), "\(text): \(check.output)")
            let serve = try await Self.run(["serve", "--config", "bad.yaml"], in: directory.path)
            #expect(serve.status != 0 && serve.output.contains(expected), "serve refuses it too: \(serve.output)")
        }
    }

    @Test func serveTakesTheFileAndFlagsWin() async throws {
        let directory = try TemporaryDirectory()
        try "port: 1\ndata-dir: from-file\nlog-level: error\n".write(toFile: directory.path + "/hookline.yaml", atomically: true, encoding: .utf8)
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HOOKLINE_") }
        let server = try ChildProcess(
            HooklineProcess.executable, ["serve", "--config", "hookline.yaml", "--port", "0"], environment: environment, directory: directory.path)
        _ = await server.waitForOutput(timeout: .seconds(60)) { $0.contains("listening on") }
        let banner = server.output
        server.send(SIGTERM)
        _ = await server.exitStatus()
        #expect(banner.contains("listening on http://127.0.0.1:") && !banner.contains("127.0.0.1:1\n"), "--port 0 beat the file's port 1: \(banner)")
        #expect(FileManager.default.fileExists(atPath: directory.path + "/from-file/hookline.sqlite"), "the file's data-dir was used")
    }
}
