import ArgumentParser
import HooklineCore

/// `hookline endpoint create|list|get|update|delete|secret|rotate`.
struct EndpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint", abstract: "Manage an application's endpoints.",
        subcommands: [Create.self, List.self, Get.self, Update.self, Delete.self, Secret.self, Rotate.self])

    /// The list table's columns: title and JSON field.
    static let columns = [("ID", "id"), ("UID", "uid"), ("URL", "url"), ("DISABLED", "disabled"), ("EVENT TYPES", "eventTypes")]
    /// The order of fields in a single endpoint's table.
    static let fields = [
        "id", "uid", "url", "description", "disabled", "eventTypes", "channels", "metadata", "throttleRate", "createdAt", "updatedAt",
    ]

    /// `hookline endpoint create APP URL`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an endpoint.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "Where deliveries are POSTed.") var url: String
        @OptionGroup var fields: EndpointFields

        func run() async throws {
            var body = fields.body
            body["url"] = .string(url)
            let endpoint = try await options.client().call(.POST, "/api/v1/app/\(app)/endpoint", body: .object(body))
            options.print(endpoint) { TextTable.fields($0, keys: EndpointCommand.fields) }
        }
    }

    /// `hookline endpoint list APP`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an application's endpoints.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @OptionGroup var page: PageOptions

        func run() async throws {
            let list = try await options.client().call(.GET, "/api/v1/app/\(app)/endpoint", query: page.query)
            options.print(list) { TextTable.list($0, EndpointCommand.columns) }
        }
    }

    /// `hookline endpoint get APP ENDPOINT`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an endpoint.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "The endpoint id or uid.") var endpoint: String

        func run() async throws {
            let value = try await options.client().call(.GET, "/api/v1/app/\(app)/endpoint/\(endpoint)")
            options.print(value) { TextTable.fields($0, keys: EndpointCommand.fields) }
        }
    }

    /// `hookline endpoint update APP ENDPOINT`: changes only the fields given.
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an endpoint's fields (the others stay).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "The endpoint id or uid.") var endpoint: String
        @Option(help: "A new URL.") var url: String?
        @OptionGroup var fields: EndpointFields
        @Flag(help: "Resume (--enable) or pause (--disable) deliveries.") var state: DeliveryToggle?

        func run() async throws {
            var body = fields.body
            if let url { body["url"] = .string(url) }
            if let state { body["disabled"] = .bool(state == .disable) }
            let value = try await options.client().call(.PATCH, "/api/v1/app/\(app)/endpoint/\(endpoint)", body: .object(body))
            options.print(value) { TextTable.fields($0, keys: EndpointCommand.fields) }
        }
    }

    /// `hookline endpoint delete APP ENDPOINT`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an endpoint; its pending deliveries are canceled.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "The endpoint id or uid.") var endpoint: String

        func run() async throws {
            _ = try await options.client().call(.DELETE, "/api/v1/app/\(app)/endpoint/\(endpoint)")
            Console.out(options.json ? "{}" : "deleted \(endpoint)")
        }
    }
}
