import Foundation
import HooklineTesting

#if canImport(Glibc)
import Glibc
#endif

/// The PostgreSQL servers the tests may use, from the environment `.ci/run` sets.
///
/// Locally the PostgreSQL suites are disabled, with that reason shown, when no URL is set; in CI
/// (`HOOKLINE_REQUIRE_POSTGRES=1`) they run and fail if the URL is missing.
enum PostgresEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    /// The shared test server's `hookline_test` database.
    static var url: String? { environment["HOOKLINE_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    /// A server of its own for the outage test, with a `stop|start` control script.
    static var outage: (url: String, control: String)? {
        guard let url = environment["HOOKLINE_TEST_OUTAGE_DATABASE_URL"], let control = environment["HOOKLINE_TEST_OUTAGE_PG_CTL"] else { return nil }
        return (url, control)
    }
    /// Whether PostgreSQL tests must run (CI).
    static var required: Bool { environment["HOOKLINE_REQUIRE_POSTGRES"] == "1" }
    /// Whether the PostgreSQL suites run.
    static var enabled: Bool { url != nil || required }

    /// Runs a command to completion with its output discarded; throws when it fails.
    ///
    /// Spawned and reaped directly: `pg_ctl start` leaves a server behind that inherits the descriptors
    /// Foundation's `Process` watches for the exit, so `waitUntilExit` would never return.
    static func run(_ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw ConformanceFailure(description: "could not start \(arguments[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else { throw ConformanceFailure(description: "\(arguments.joined(separator: " ")) failed with status \(status)") }
    }
}
