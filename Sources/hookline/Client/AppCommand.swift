import ArgumentParser
import HooklineCore

/// `hookline app create|list|get|delete`.
struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Manage applications.", subcommands: [Create.self, List.self, Get.self, Delete.self])

    /// The list table's columns: title and JSON field.
    static let columns = [("ID", "id"), ("UID", "uid"), ("NAME", "name"), ("CREATED", "createdAt")]
    /// The order of fields in a single application's table.
    static let fields = ["id", "uid", "name", "metadata", "throttleRate", "createdAt", "updatedAt"]

    /// `hookline app create NAME`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an application.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The display name.") var name: String
        @Option(help: "A unique identifier usable in place of the id.") var uid: String?

        func run() async throws {
            var body: [String: JSONValue] = ["name": .string(name)]
            if let uid { body["uid"] = .string(uid) }
            let app = try await options.client().call(.POST, "/api/v1/app", body: .object(body))
            options.print(app) { TextTable.fields($0, keys: AppCommand.fields) }
        }
    }

    /// `hookline app list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List applications, newest first.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var page: PageOptions

        func run() async throws {
            let list = try await options.client().call(.GET, "/api/v1/app", query: page.query)
            options.print(list) { TextTable.list($0, AppCommand.columns) }
        }
    }

    /// `hookline app get APP`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an application.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String

        func run() async throws {
            let value = try await options.client().call(.GET, "/api/v1/app/\(app)")
            options.print(value) { TextTable.fields($0, keys: AppCommand.fields) }
        }
    }

    /// `hookline app delete APP`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an application with its endpoints and messages.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String

        func run() async throws {
            _ = try await options.client().call(.DELETE, "/api/v1/app/\(app)")
            if !options.json { Console.out("deleted \(app)") } else { Console.out("{}") }
        }
    }
}
