import ArgumentParser
import Foundation

/// `hookline-bench [run]`: runs every phase, prints the table and the JSON report, and exits non-zero
/// when the run found a problem (a lost message, an unclean shutdown, no delivery at all).
struct RunCommand: AsyncParsableCommand {
    /// The default subcommand of ``HooklineBench``.
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the benchmark (the default subcommand)."
    )

    /// Sizes, switches and the target.
    @OptionGroup var options: BenchOptions

    /// Runs the session, prints the table then the JSON line, and writes `--json-out`.
    func run() async throws {
        let report = try await BenchSession(plan: options.plan(), targetAPIKey: options.apiKey).run()
        print(report.table().render())
        print(try report.json())
        if let path = options.jsonOut {
            try Data((try report.json(pretty: true) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        }
        if !report.passed {
            throw ExitCode.failure
        }
    }
}
