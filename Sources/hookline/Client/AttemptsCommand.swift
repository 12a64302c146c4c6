import ArgumentParser
import Foundation
import HooklineCore

/// `hookline attempts MSG --app APP`: the delivery attempts of a message.
struct AttemptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attempts", abstract: "List a message's delivery attempts, newest first.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var app: AppOption
    @Argument(help: "The message id.") var message: String
    @OptionGroup var page: PageOptions

    static let columns = [
        ("ID", "id"), ("STATUS", "statusText"), ("CODE", "responseStatusCode"), ("TRIGGER", "triggerType"), ("ENDPOINT", "endpointId"),
        ("TIMESTAMP", "timestamp"),
    ]

    func run() async throws {
        let list = try await options.client().call(.GET, "/api/v1/app/\(try app.resolved())/attempt/msg/\(message)", query: page.query)
        options.print(list) { TextTable.list($0, Self.columns) }
    }
}

/// `--app`, for commands addressed by message or endpoint (falls back to `HOOKLINE_APP`).
struct AppOption: ParsableArguments {
    @Option(name: [.short, .long], help: "The application id or uid (HOOKLINE_APP).") var app: String?

    /// The application, or a usage error when none is given.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let app = app ?? environment["HOOKLINE_APP"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ValidationError("pass --app APP (or set HOOKLINE_APP)")
        }
        return app
    }
}
