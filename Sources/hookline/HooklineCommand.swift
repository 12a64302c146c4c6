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
