import ArgumentParser
import Foundation

/// `hookline config`: configuration tools.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the configuration serve would run with.",
        subcommands: [ConfigCheckCommand.self]
    )
}

/// `hookline config check`: validates the layered settings and prints each with its source, secrets redacted.
struct ConfigCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the settings (defaults < --config file < HOOKLINE_* variables) and print where each came from."
    )

    @Option(help: "The YAML configuration file (HOOKLINE_CONFIG).")
    var config: String?

    func run() async throws {
        let layers = try ConfigLayers(path: config)
        let settings = try layers.serveSettings(options: ServeOptions.parse([]))
        let environment = layers.environment
        var rows: [[String]] = []
        for setting in ConfigLayers.settings {
            let source = layers.source(of: setting.variable)
            let value: String
            if let text = environment[setting.variable] {
                value = Self.redacted(setting.variable, text)
            } else {
                value = setting.defaultText.map { "(\($0))" } ?? "(unset)"
            }
            rows.append([setting.key, value, source.description])
        }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(
                row.enumerated().map { index, cell in index == 2 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }.joined(
                    separator: "  "))
        }
        print("configuration OK (\(layers.file.map { "file \($0.path), " } ?? "")database \(settings.database.redacted))")
    }

    /// The value as printed: secrets masked, passwords removed from database URLs.
    static func redacted(_ variable: String, _ value: String) -> String {
        if variable.hasSuffix("_KEY") || variable.hasSuffix("_TOKEN") || variable.hasSuffix("_SECRET") { return "***" }
        if variable == "HOOKLINE_DATABASE" { return (try? DatabaseTarget(url: value, dataDirectory: ".").redacted) ?? "***" }
        return value
    }
}
