import Foundation
import HooklineCore
import HooklineTesting
import Synchronization

/// `hookline listen` running as a child process; its standard output is collected line by line.
final class ListenProcess: Sendable {
    private let process: Process
    private let output = Mutex("")
    private let printed = WakeSignal()

    /// Starts `hookline listen --port 0` with `arguments`.
    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: HooklineProcess.executable)
        process.arguments = ["listen", "--port", "0"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty, let self else {
                handle.readabilityHandler = nil
                self?.printed.signal()
                return
            }
            self.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
            self.printed.signal()
        }
        let printed = printed
        process.terminationHandler = { _ in printed.signal() }
        try process.run()
    }

    /// The complete lines printed so far.
    var lines: [String] {
        let text = output.withLock { $0 }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Waits until `count` lines are printed (the first is the `listening on` line); returns them.
    func waitForLines(_ count: Int, timeout: Duration = .seconds(30)) async -> [String] {
        await Deadline.wait(timeout: timeout, signal: printed) { self.lines.count >= count }
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
        let process = process
        guard await Deadline.wait(timeout: timeout, signal: printed, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
