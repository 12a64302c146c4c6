import ArgumentParser
import NIOCore
import NIOPosix

/// `hookline-bench`: measures a running Hookline over its HTTP API, the way a user would see it.
///
/// The default subcommand runs the benchmark; `baseline-server` is the hidden reference server the
/// benchmark spawns from its own binary.
@main
struct HooklineBench: AsyncParsableCommand {
    /// `run` is the default, so `hookline-bench --hookline PATH` runs the benchmark.
    static let configuration = CommandConfiguration(
        commandName: "hookline-bench",
        abstract: "Benchmark a Hookline server over its HTTP API.",
        discussion: """
            hookline-bench --hookline PATH [--quick] [--json-out FILE]
            Every option: hookline-bench run --help
            """,
        subcommands: [
            RunCommand.self, BaselineServerCommand.self, TransportCommand.self, SeedCommand.self, HistoryCommand.self, PostgresCommand.self,
            RetentionCommand.self, StoreFloorCommand.self, RecoveryCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )

    /// The entry point: NIO's event loops take over Swift Concurrency, then the command line runs.
    ///
    /// The bench is a load generator sharing two cores with the servers it measures, so every
    /// microsecond it spends per request is taken from them. Running tasks on the event loops removes the
    /// thread hop between the concurrency pool and the loop that owns each connection. This must happen
    /// first, on the main thread, before any other task exists; the baseline server gets it too, so both
    /// servers run the same way. `transport` keeps Swift's default executor: it measures the delivery
    /// client as `hookline serve` runs it.
    static func main() async {
        if CommandLine.arguments.dropFirst().first != TransportCommand.configuration.commandName {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        await main(nil)
    }
}
