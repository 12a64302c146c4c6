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

    /// The attempt table's columns: title and JSON field.
    static let columns = [
        ("ID", "id"), ("STATUS", "statusText"), ("CODE", "responseStatusCode"), ("TRIGGER", "triggerType"), ("ENDPOINT", "endpointId"),
        ("TIMESTAMP", "timestamp"),
    ]

    func run() async throws {
        let list = try await options.client().call(.GET, "/api/v1/app/\(try app.resolved())/attempt/msg/\(message)", query: page.query)
        options.print(list) { TextTable.list($0, Self.columns) }
    }
}
