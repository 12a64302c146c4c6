import Foundation
import HooklineCore
import HooklineTesting

/// `hookline listen` running as a child process; its standard output is collected line by line.
final class ListenProcess: Sendable {
    private let child: ChildProcess

    /// Starts `hookline listen --port 0` with `arguments`.
    init(_ arguments: [String]) throws {
        child = try ChildProcess(HooklineProcess.executable, ["listen", "--port", "0"] + arguments)
    }

    /// The complete lines printed so far.
    var lines: [String] {
        child.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Waits until `count` lines are printed (the first is the `listening on` line); returns them.
    func waitForLines(_ count: Int, timeout: Duration = .seconds(30)) async -> [String] {
        await Deadline.wait(timeout: timeout, signal: child.changed) { self.lines.count >= count }
        return lines
    }

    /// The receiver's base URL, from its `listening on` line.
    func baseURL() async throws -> String {
        guard let first = await waitForLines(1).first, first.hasPrefix("listening on http://") else {
            throw ConformanceFailure(description: "hookline listen did not report its address; printed: \(lines)")
        }
        return String(first.dropFirst("listening on ".count).prefix { $0 != " " })
    }

    /// Waits for the process to exit by itself (`--count`); returns its status, or `nil` if it still runs.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let child = child
        guard await Deadline.wait(timeout: timeout, signal: child.changed, { !child.isRunning }) else { return nil }
        return await child.exitStatus()
    }
}
