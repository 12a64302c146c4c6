import ArgumentParser
import HooklineCore

/// `hookline resend MSG ENDPOINT [--app APP]`: one manual attempt now (the message's application is found when not given).
struct ResendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resend", abstract: "Send a message to an endpoint again, now.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var app: AppOption
    @Argument(help: "The message id.") var message: String
    @Argument(help: "The endpoint id or uid.") var endpoint: String

    func run() async throws {
        let client = options.client()
        let appId = try await app.resolved(forMessage: message, client: client)
        _ = try await client.call(.POST, "/api/v1/app/\(appId)/msg/\(message)/endpoint/\(endpoint)/resend")
        Console.out(options.json ? "{}" : "queued a manual attempt of \(message) to \(endpoint)")
    }
}
