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
    /// Its output goes to `/dev/null` and it inherits no other descriptor: `pg_ctl start` leaves a server behind,
    /// which must hold neither a pipe this process waits on nor a copy of a test's socket (a connection a test
    /// closed would stay open in the server, and its peer would wait for the end of it).
    static func run(_ arguments: [String]) async throws {
        let child = try ChildProcess(arguments[0], Array(arguments.dropFirst()), output: .discard, errors: .discard)
        let status = await child.exitStatus()
        guard status == 0 else { throw ConformanceFailure(description: "\(arguments.joined(separator: " ")) failed with status \(status)") }
    }
}
