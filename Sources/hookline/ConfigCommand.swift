import ArgumentParser
import Foundation
import HooklineCore

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

/// Resolves `serve` settings from defaults < configuration file < `HOOKLINE_*` variables < flags.
struct ConfigLayers {
    /// Where a setting's value came from.
    enum Source: CustomStringConvertible {
        case environment
        case file(path: String, line: Int)
        case defaultValue

        var description: String {
            switch self {
            case .environment: return "environment"
            case .file(let path, let line): return "\(path):\(line)"
            case .defaultValue: return "default"
            }
        }
    }

    /// One documented setting as `serve --help` describes it.
    struct Setting {
        /// Its variable, e.g. `HOOKLINE_PORT`.
        var variable: String
        /// The default the help text names, if any.
        var defaultText: String?
        /// The config-file key, e.g. `port`.
        var key: String { variable.dropFirst("HOOKLINE_".count).lowercased().replacingOccurrences(of: "_", with: "-") }
    }

    /// The settings `serve` reads, taken from its help text (each option names its variable and default there).
    static let settings: [Setting] = {
        let help = ServeCommand.helpMessage(columns: 10_000)
        var result: [Setting] = []
        for line in help.split(separator: "\n") {
            guard let variable = line.firstMatch(of: /\((HOOKLINE_[A-Z_]+)/)?.output.1, variable != "HOOKLINE_CONFIG" else { continue }
            let defaultText = line.firstMatch(of: /default:? ([^);]+)/).map { String($0.output.1) }
            if !result.contains(where: { $0.variable == variable }) { result.append(Setting(variable: String(variable), defaultText: defaultText)) }
        }
        return result
    }()

    /// The file, if one was named by `--config` or `HOOKLINE_CONFIG`.
    let file: ConfigFile?
    /// The process environment.
    let processEnvironment: [String: String]

    /// Reads the file named by `path` (else `HOOKLINE_CONFIG`), checking its keys against the known settings.
    init(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        processEnvironment = environment
        let chosen = path ?? environment["HOOKLINE_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        file = try chosen.map { try ConfigFile.load(path: $0, known: Set(Self.settings.map(\.variable))) }
    }

    /// The variables `ServeSettings` reads: the file's, overridden by the process environment's.
    var environment: [String: String] {
        (file?.environment ?? [:]).merging(processEnvironment.filter { !$0.value.isEmpty }) { _, process in process }
    }

    /// Where `variable`'s value comes from when no flag sets it.
    func source(of variable: String) -> Source {
        if let value = processEnvironment[variable], !value.isEmpty { return .environment }
        if let file, let entry = file.entries.first(where: { $0.variable == variable }) { return .file(path: file.path, line: entry.line) }
        return .defaultValue
    }

    /// The settings of `options` over these layers; a bad value from the file is reported with its key and line.
    func serveSettings(options: ServeOptions) throws -> ServeSettings {
        do {
            return try ServeSettings(options: options, environment: environment)
        } catch {
            let message = (error as? ValidationError)?.message ?? (error as? HooklineError)?.message ?? "\(error)"
            guard let file,
                let entry = file.entries.first(where: { entry in
                    guard case .file = source(of: entry.variable) else { return false }
                    return message.contains(entry.variable) || message.contains("'\(entry.value)'")
                        || message.contains("'\(entry.value.trimmingCharacters(in: .whitespaces))'")
                })
            else { throw error }
            throw ValidationError("\(file.path):\(entry.line): \(entry.key): \(message)")
        }
    }
}
