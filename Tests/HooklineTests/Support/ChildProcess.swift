import Foundation
import HooklineCore
import HooklineTesting
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and watched by threads of its own.
///
/// Tests do not use Foundation's `Process`: its launch crashed the whole test process (SIGSEGV inside `Process.run()`)
/// when many tests started children at once on a busy 2-core machine. Here the reaping is one blocking `waitpid` per
/// child on its own thread, and each collected stream is drained by a thread of its own, never the cooperative pool.
final class ChildProcess: Sendable {
    /// Where one of the child's standard output streams goes.
    enum Sink: Sendable {
        /// Collected by the parent: `output` / `errors`.
        case collect
        /// Discarded (`/dev/null`).
        case discard
        /// Appended to the file at this path (created when missing).
        case file(String)
        /// Standard error only: wherever standard output goes.
        case sameAsOutput
    }

    /// What a finished child left: its status and what it printed.
    struct Result: Sendable {
        /// The exit status, or the number of the signal that ended it.
        var status: Int32
        /// Standard output (with standard error when merged).
        var output: String
        /// Standard error, when collected on its own.
        var errors: String
    }

    /// The child's process id.
    let pid: pid_t
    private let watch: Watch

    /// Starts `executable` with `arguments`; `environment` replaces the parent's when given, `directory` is its working
    /// directory, and `input` is written to its standard input (else it reads `/dev/null`).
    init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        output: Sink = .collect, errors: Sink = .discard, input: String? = nil
    ) throws {
        let watch = Watch()
        var pipes = Pipes()
        defer { pipes.closeChildEnds() }
        let actions = try FileActions()
        if let input {
            let (read, write) = try pipes.make(parentEnd: 1)
            actions.duplicate(read, to: 0)
            watch.feed(write, Data(input.utf8))
        } else {
            actions.open(0, "/dev/null", O_RDONLY)
        }
        for (descriptor, sink) in [(Int32(1), output), (2, errors)] {
            switch sink {
            case .collect:
                let (read, write) = try pipes.make(parentEnd: 0)
                actions.duplicate(write, to: descriptor)
                watch.drain(read, into: descriptor == 2)
            case .discard: actions.open(descriptor, "/dev/null", O_WRONLY)
            case .file(let path): actions.open(descriptor, path, O_WRONLY | O_CREAT | O_APPEND)
            case .sameAsOutput: actions.duplicate(1, to: descriptor)
            }
        }
        try actions.closeInherited()
        if let directory { try actions.changeDirectory(to: directory) }
        let environment = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        pid = try actions.spawn(executable, arguments: [executable] + arguments, environment: environment)
        self.watch = watch
        watch.reap(pid)
    }

    /// Runs `executable` to completion off the cooperative pool; returns its status and what it printed.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        mergeErrors: Bool = true, input: String? = nil
    ) async throws -> Result {
        let child = try ChildProcess(
            executable, arguments, environment: environment, directory: directory, output: .collect,
            errors: mergeErrors ? .sameAsOutput : .collect, input: input)
        let status = await child.exitStatus()
        await child.watch.streamsClosed()
        return Result(status: status, output: child.output, errors: child.errors)
    }

    /// Everything collected from standard output so far.
    var output: String { watch.state.withLock { String(decoding: $0.output, as: UTF8.self) } }

    /// Everything collected from standard error so far.
    var errors: String { watch.state.withLock { String(decoding: $0.errors, as: UTF8.self) } }

    /// Whether the child has not been reaped yet.
    var isRunning: Bool { watch.state.withLock { $0.status == nil } }

    /// Raised whenever output arrives or the child exits.
    var changed: WakeSignal { watch.changed }

    /// Waits up to `timeout` until `condition` holds of the collected standard output; returns whether it did.
    func waitForOutput(timeout: Duration, _ condition: @escaping @Sendable (String) -> Bool) async -> Bool {
        await Deadline.wait(timeout: timeout, signal: changed) { condition(self.output) }
    }

    /// Sends `signal` to the child (nothing once it has been reaped).
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the child to exit; returns its exit status, or the number of the signal that ended it.
    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = watch.state.withLock { state -> Int32? in
                if state.status == nil { state.exitWaiters.append(continuation) }
                return state.status
            }
            if let status { continuation.resume(returning: status) }
        }
    }

    deinit {
        send(SIGKILL)
    }
}
