import Foundation
import HooklineTesting

#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// The pipes made for one launch; the ends the child uses are closed in the parent once it has been spawned.
    struct Pipes {
        private var childEnds: [Int32] = []

        /// Makes a pipe; `parentEnd` (0 read, 1 write) stays open in the parent and is not inherited by other children.
        mutating func make(parentEnd: Int) throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw ConformanceFailure(description: "pipe() failed: errno \(errno)") }
            _ = fcntl(ends[parentEnd], F_SETFD, FD_CLOEXEC)
            childEnds.append(ends[1 - parentEnd])
            return (ends[0], ends[1])
        }

        /// Closes the child's ends in the parent, so the parent sees the end of output when the child exits.
        mutating func closeChildEnds() {
            for end in childEnds { close(end) }
            childEnds = []
        }
    }

    /// `posix_spawn` file actions and attributes for one launch.
    final class FileActions {
        private let actions = UnsafeMutablePointer<posix_spawn_file_actions_t>.allocate(capacity: 1)

        /// Starts an empty list of actions.
        init() throws {
            guard posix_spawn_file_actions_init(actions) == 0 else { throw ConformanceFailure(description: "posix_spawn_file_actions_init failed") }
        }

        deinit {
            posix_spawn_file_actions_destroy(actions)
            actions.deallocate()
        }

        /// Makes `source` the child's `target` descriptor.
        func duplicate(_ source: Int32, to target: Int32) {
            posix_spawn_file_actions_adddup2(actions, source, target)
        }

        /// Opens `path` as the child's `descriptor`.
        func open(_ descriptor: Int32, _ path: String, _ flags: Int32) {
            posix_spawn_file_actions_addopen(actions, descriptor, path, flags, 0o644)
        }

        /// Closes every other descriptor the child would inherit (sockets of servers running in this test process).
        func closeInherited() throws {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            let closeFrom: CloseFrom = try Self.glibc("posix_spawn_file_actions_addclosefrom_np")
            _ = closeFrom(actions, 3)
        }

        /// Starts the child in `directory`.
        func changeDirectory(to directory: String) throws {
            typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
            let changeDirectory: ChangeDirectory = try Self.glibc("posix_spawn_file_actions_addchdir_np")
            _ = changeDirectory(actions, directory)
        }

        /// Spawns `path` with these actions, no blocked signals and every signal's default disposition.
        func spawn(_ path: String, arguments: [String], environment: [String]) throws -> pid_t {
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t()
            sigemptyset(&none)
            posix_spawnattr_setsigmask(&attributes, &none)
            var all = sigset_t()
            sigfillset(&all)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            let argv = arguments.map { strdup($0) } + [nil]
            let envp = environment.map { strdup($0) } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid: pid_t = 0
            let error = posix_spawn(&pid, path, actions, &attributes, argv, envp)
            guard error == 0 else { throw ConformanceFailure(description: "cannot start \(path): \(String(cString: strerror(error)))") }
            return pid
        }

        /// A glibc function the Swift module does not expose (it is declared only under `_GNU_SOURCE`).
        private static func glibc<Function>(_ name: String) throws -> Function {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
                throw ConformanceFailure(description: "glibc lacks \(name) (2.34 or newer is needed)")
            }
            return unsafeBitCast(symbol, to: Function.self)
        }
    }
}
