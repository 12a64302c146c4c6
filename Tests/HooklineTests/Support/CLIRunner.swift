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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: HooklineProcess.executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOOKLINE_SERVER"] = server
        environment["HOOKLINE_API_KEY"] = apiKey
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        // Blocking reads run on their own threads, never on the cooperative pool the server needs.
        let (stdout, stderr) = await withCheckedContinuation { (continuation: CheckedContinuation<(Data, Data), Never>) in
            Thread.detachNewThread {
                let group = DispatchGroup()
                nonisolated(unsafe) var errorData = Data()
                group.enter()
                Thread.detachNewThread {
                    errorData = errors.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                input.fileHandleForWriting.write(Data((stdin ?? "").utf8))
                try? input.fileHandleForWriting.close()
                let outputData = output.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: (outputData, errorData))
            }
        }
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
