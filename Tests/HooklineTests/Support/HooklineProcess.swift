import Foundation
import HooklineCore
import HooklineTesting

/// The built `hookline` executable running as a child process, for crash and restart tests.
final class HooklineProcess: Sendable {
    /// The executable: `HOOKLINE_BIN`, else `.build/debug/hookline` beside this package.
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["HOOKLINE_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/hookline").path
    }

    private let child: ChildProcess

    /// Runs `hookline` with `arguments` to completion; returns its exit status and what it printed (both streams).
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await ChildProcess.run(executable, arguments)
        return (result.status, result.output)
    }

    /// Runs blocking `work` on a new thread and returns its result, leaving the cooperative pool free.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// Starts `hookline serve` with `arguments`, through `launcher` when given (a command that ends by exec'ing
    /// the rest of its arguments, so the process is still Hookline's: e.g. a shell that mounts its data directory).
    init(arguments: [String], launcher: [String] = []) throws {
        let command = launcher + (launcher.isEmpty ? [] : [Self.executable]) + ["serve"] + arguments
        child = try ChildProcess(launcher.first ?? Self.executable, launcher.isEmpty ? command : Array(command.dropFirst()), errors: Self.errorLog())
    }

    /// Where the child's standard error goes: a new file in `HOOKLINE_TEST_NODE_LOG_DIR` when set (to debug a test), else nowhere.
    private static func errorLog() -> ChildProcess.Sink {
        guard let directory = ProcessInfo.processInfo.environment["HOOKLINE_TEST_NODE_LOG_DIR"] else { return .discard }
        return .file((directory as NSString).appendingPathComponent("hookline-\(UUID().uuidString.prefix(8)).log"))
    }

    /// Everything printed on standard output so far.
    var stdout: String { child.output }

    /// Waits for the `listening on` line and returns the base URL.
    func baseURL(timeout: Duration = .seconds(60)) async throws -> String {
        _ = await child.waitForOutput(timeout: timeout) { $0.contains("listening on http://") }
        guard let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("listening on http://") }) else {
            throw ConformanceFailure(description: "hookline did not report its address; printed: \(stdout)")
        }
        return String(line.dropFirst("listening on ".count))
    }

    /// Sends `signal` and waits for the process to exit; returns its status.
    @discardableResult
    func terminate(_ signal: Int32) async -> Int32 {
        child.send(signal)
        return await child.exitStatus()
    }
}
