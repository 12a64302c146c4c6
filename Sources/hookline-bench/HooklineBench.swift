import ArgumentParser

/// `hookline-bench`: measures a running Hookline over its HTTP API, the way a user would see it.
///
/// The default subcommand runs the benchmark; `baseline-server` is the hidden reference server the
/// benchmark spawns from its own binary.
@main
struct HooklineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookline-bench",
        abstract: "Benchmark a Hookline server over its HTTP API.",
        subcommands: [RunCommand.self, BaselineServerCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
