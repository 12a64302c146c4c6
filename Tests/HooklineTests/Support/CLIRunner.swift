import Foundation

/// Runs the built `hookline` executable as a client of a live server and collects what it printed.
struct CLIRunner: Sendable {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Standard output parsed as a JSON object (for `--json`).
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:] }
    }

    let server: String
    var apiKey = TestNode.apiKey

    /// Runs `hookline arguments…` with `HOOKLINE_SERVER`/`HOOKLINE_API_KEY` set, feeding `stdin`.
    func run(_ arguments: [String], stdin: String? = nil) async throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["HOOKLINE_SERVER"] = server
        environment["HOOKLINE_API_KEY"] = apiKey
        let result = try await ChildProcess.run(
            HooklineProcess.executable, arguments, environment: environment, mergeErrors: false, input: stdin ?? "")
        return Result(status: result.status, stdout: result.output, stderr: result.errors)
    }
}
