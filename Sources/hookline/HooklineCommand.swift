import ArgumentParser
import HooklineCore

/// The `hookline` command line.
@main
struct HooklineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookline",
        abstract: "A self-hosted webhook gateway.",
        version: BuildInfo.versionLine,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, BackupCommand.self, RestoreCommand.self, ConfigCommand.self, PurgeCommand.self, AppCommand.self,
            EndpointCommand.self, SendCommand.self, MessageCommand.self,
            AttemptsCommand.self, ResendCommand.self, RecoverCommand.self, SourceCommand.self, TailCommand.self,
            StatusCommand.self, ListenCommand.self,
        ]
    )
}

/// What this binary was built from; `scripts/package` rewrites `commit` in its build copy of the tree.
enum BuildInfo {
    /// The git commit of a packaged build; `nil` in a development build (`swift build` of a working tree).
    static let commit: String? = nil

    /// The `--version` line: the release version and the commit it was built from.
    static var versionLine: String {
        "\(HooklineVersion.current) (commit \(commit ?? "unknown: development build, not made by scripts/package"))"
    }
}
