import ArgumentParser
import HooklineCore

/// `hookline msg list|get`.
struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "msg", abstract: "Inspect an application's messages.", subcommands: [List.self, Get.self])

    /// `hookline msg list APP`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List messages, newest first.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @OptionGroup var page: PageOptions
        @Option(name: .customLong("event-type"), help: "Only this event type; repeatable.") var eventTypes: [String] = []
        @Option(help: "Only messages on this channel.") var channel: String?
        @Option(help: "Only messages created before this ISO 8601 time.") var before: String?
        @Option(help: "Only messages created after this ISO 8601 time, or this long ago (e.g. 2h).") var after: String?

        func run() async throws {
            var query = page.query
            query["event_types"] = eventTypes.isEmpty ? nil : eventTypes.joined(separator: ",")
            query["channel"] = channel
            query["before"] = try before.map { try TimeArgument.iso8601($0) }
            query["after"] = try after.map { try TimeArgument.iso8601($0) }
            let list = try await options.client().call(.GET, "/api/v1/app/\(app)/msg", query: query)
            options.print(list) { TextTable.list($0, SendCommand.columns) }
        }
    }

    /// `hookline msg get APP MSG`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a message with its payload.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "The message id.") var message: String

        func run() async throws {
            let value = try await options.client().call(.GET, "/api/v1/app/\(app)/msg/\(message)", query: ["with_content": "true"])
            options.print(value) { TextTable.fields($0, keys: ["id", "eventType", "eventId", "channels", "tags", "timestamp", "payload"]) }
        }
    }
}
