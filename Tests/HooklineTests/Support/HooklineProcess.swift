import Foundation
import HooklineCore
import HooklineTesting
import Synchronization

/// The built `hookline` executable running as a child process, for crash and restart tests.
final class HooklineProcess: Sendable {
    /// The executable: `HOOKLINE_BIN`, else `.build/debug/hookline` beside this package.
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["HOOKLINE_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/hookline").path
    }

    private let process: Process
    private let output = Mutex("")
    private let printed = WakeSignal()

    /// Runs `hookline` with `arguments` to completion; returns its exit status and standard output.
    ///
    /// The blocking read and wait run on a thread of their own: on the cooperative pool (two threads on a 2-core CI
    /// machine) they would stall every other test and every in-process server until the child exits.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = await offPool {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
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
        process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? Self.executable)
        process.arguments = launcher.dropFirst() + (launcher.isEmpty ? [] : [Self.executable]) + ["serve"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Self.errorLog()
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty, let self else {
                handle.readabilityHandler = nil
                return
            }
            self.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
            self.printed.signal()
        }
        try process.run()
    }

    /// Where the child's standard error goes: a new file in `HOOKLINE_TEST_NODE_LOG_DIR` when set (to debug a test), else nowhere.
    private static func errorLog() -> FileHandle {
        guard let directory = ProcessInfo.processInfo.environment["HOOKLINE_TEST_NODE_LOG_DIR"] else { return FileHandle.nullDevice }
        let path = (directory as NSString).appendingPathComponent("hookline-\(UUID().uuidString.prefix(8)).log")
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            return FileHandle.nullDevice
        }
        return handle
    }

    /// Everything printed on standard output so far.
    var stdout: String { output.withLock { $0 } }

    /// Waits for the `listening on` line and returns the base URL.
    func baseURL(timeout: Duration = .seconds(60)) async throws -> String {
        await Deadline.wait(timeout: timeout, signal: printed) { self.stdout.contains("listening on http://") }
        guard let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("listening on http://") }) else {
            throw ConformanceFailure(description: "hookline did not report its address; printed: \(stdout)")
        }
        return String(line.dropFirst("listening on ".count))
    }

    /// Sends `signal` and waits for the process to exit, off the cooperative pool; returns its status.
    @discardableResult
    func terminate(_ signal: Int32) async -> Int32 {
        kill(process.processIdentifier, signal)
        return await Self.offPool { [process] in
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Sends `signal` and waits for the process to exit; returns its status. It blocks the calling thread (a thread
    /// of the cooperative pool in an async test): prefer `terminate(_:)`.
    @discardableResult
    func stop(signal: Int32) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
