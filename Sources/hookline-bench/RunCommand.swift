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
        var database: HistoryDatabase?
        if let server = options.database {
            let name = "hl_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(8)
            database = try await HistoryDatabase.create(name: name, adminURL: server)
            Console.progress("created database \(name) for the node")
        }
        let report: BenchReport
        do {
            report = try await BenchSession(plan: options.plan(), targetAPIKey: options.apiKey, database: database?.argument).run()
        } catch {
            await database?.drop()
            throw error
        }
        await database?.drop()
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
