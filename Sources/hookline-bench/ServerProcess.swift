import Foundation

/// A server binary the bench launched: Hookline, or the bench's own baseline server.
///
/// Both announce readiness with a line `listening on http://HOST:PORT` on standard output. Everything else
/// they print goes to the bench's standard error, prefixed with the server's name, so the bench's
/// standard output stays a clean report.
final class ServerProcess: Sendable {
    /// `hookline` or `baseline`.
    let name: String
    /// The URL from the listening line, e.g. `http://127.0.0.1:41234`.
    let baseURL: String

    private let process: Process

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    private init(name: String, baseURL: String, process: Process) {
        self.name = name
        self.baseURL = baseURL
        self.process = process
    }

    /// Launches `executable` and waits for its listening line.
    static func launch(
        name: String,
        executable: URL,
        arguments: [String],
        startupTimeout: Duration = .seconds(30)
    ) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice

        let (announcements, announce) = AsyncStream.makeStream(of: String.self)
        OutputPump.start(reading: stderr.fileHandleForReading, prefix: "\(name): ") { _ in false }
        OutputPump.start(reading: stdout.fileHandleForReading, prefix: "\(name): ") { line in
            guard let range = line.range(of: "listening on ") else { return false }
            announce.yield(String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces))
            announce.finish()
            return true
        } onEnd: {
            announce.finish()
        }

        do {
            try await start(process)
        } catch {
            throw BenchError.startFailed(name, "cannot run \(executable.path): \(error)")
        }
        guard let url = await announcements.first(within: startupTimeout) else {
            let server = ServerProcess(name: name, baseURL: "", process: process)
            let status = await server.terminate(grace: .seconds(2))
            throw BenchError.startFailed(name, "no `listening on` line within \(startupTimeout) (\(status))")
        }
        return ServerProcess(name: name, baseURL: url, process: process)
    }

    /// Starts `process` from a thread with no signal blocked.
    ///
    /// A child inherits the signal mask of the thread that spawns it, and the threads async code runs on
    /// (dispatch's, NIO's) block SIGTERM: a server spawned from one of them would never hear the bench's
    /// SIGTERM.
    static func start(_ process: Process) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                var nothing = sigset_t()
                sigemptyset(&nothing)
                pthread_sigmask(SIG_SETMASK, &nothing, nil)
                continuation.resume(with: Result { try process.run() })
            }
        }
    }

    /// How a server ended.
    enum Termination: Sendable, CustomStringConvertible {
        /// It exited by itself with this status after SIGTERM (or before).
        case exited(Int32)
        /// It died of this signal.
        case signalled(Int32)
        /// It ignored SIGTERM for the whole grace period and was killed.
        case killed

        /// Whether this is the clean exit the contract asks for.
        var isClean: Bool {
            if case .exited(0) = self { true } else { false }
        }

        /// For messages: `exit 0`, `signal 9`, `killed after grace period`.
        var description: String {
            switch self {
            case let .exited(status): "exit \(status)"
            case let .signalled(signal): "signal \(signal)"
            case .killed: "killed after grace period"
            }
        }
    }

    /// Sends SIGTERM, waits up to `grace` for the exit, then sends SIGKILL.
    func terminate(grace: Duration) async -> Termination {
        if let termination = exitStatus() { return termination }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if let termination = exitStatus() { return termination }
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        while exitStatus() == nil { try? await Task.sleep(for: .milliseconds(20)) }
        return .killed
    }

    /// How the process ended, or nil while it runs.
    ///
    /// Foundation only notices an exit once every descendant has closed a socket it hands the child, so
    /// this asks the kernel instead: `waitid` with `WNOWAIT` reads the status and leaves the zombie for
    /// Foundation to reap in its own time.
    private func exitStatus() -> Termination? {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else {
            // ECHILD: Foundation has reaped it already, so its figures are final.
            guard !process.isRunning else { return nil }
            return process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        }
        let child = info._sifields._sigchld
        guard child.si_pid == pid else { return nil }
        return info.si_code == CLD_EXITED ? .exited(child.si_status) : .signalled(child.si_status)
    }
}
