import Foundation
import HooklineCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// What the threads watching one child share: collected output, its exit status, and who waits for them.
    final class Watch: Sendable {
        /// The shared state, behind the mutex.
        struct State {
            var output = Data()
            var errors = Data()
            var status: Int32?
            var exitWaiters: [CheckedContinuation<Int32, Never>] = []
            var openStreams = 0
            var streamWaiters: [CheckedContinuation<Void, Never>] = []
        }

        /// The shared state.
        let state = Mutex(State())
        /// Raised whenever output arrives or the child exits.
        let changed = WakeSignal()

        /// Reads `descriptor` to its end on a thread of its own, appending to standard output or error; then closes it.
        func drain(_ descriptor: Int32, into errors: Bool) {
            state.withLock { $0.openStreams += 1 }
            Thread.detachNewThread { [self] in
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { break }
                    state.withLock { state in
                        if errors { state.errors.append(contentsOf: buffer[..<count]) } else { state.output.append(contentsOf: buffer[..<count]) }
                    }
                    changed.signal()
                }
                close(descriptor)
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.openStreams -= 1
                    guard state.openStreams == 0 else { return [] }
                    defer { state.streamWaiters = [] }
                    return state.streamWaiters
                }
                for waiter in waiters { waiter.resume() }
                changed.signal()
            }
        }

        /// Writes `data` to `descriptor` on a thread of its own, then closes it (the child sees the end of its input).
        func feed(_ descriptor: Int32, _ data: Data) {
            signal(SIGPIPE, SIG_IGN)  // a child that exits without reading its input must not end the test process
            Thread.detachNewThread {
                var offset = 0
                while offset < data.count {
                    let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, data.count - offset) }
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { break }
                    offset += written
                }
                close(descriptor)
            }
        }

        /// Waits for `pid` to exit on a thread of its own (one blocking `waitpid`), then records its status.
        func reap(_ pid: pid_t) {
            Thread.detachNewThread { [self] in
                var raw: Int32 = 0
                while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
                // The exit code when it exited, else the number of the signal that ended it (as Foundation reports it).
                let status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
                let waiters = state.withLock { state -> [CheckedContinuation<Int32, Never>] in
                    state.status = status
                    defer { state.exitWaiters = [] }
                    return state.exitWaiters
                }
                for waiter in waiters { waiter.resume(returning: status) }
                changed.signal()
            }
        }

        /// Waits until every collected stream reached its end.
        func streamsClosed() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let open = state.withLock { state -> Bool in
                    if state.openStreams > 0 { state.streamWaiters.append(continuation) }
                    return state.openStreams > 0
                }
                if !open { continuation.resume() }
            }
        }
    }
}
