import ArgumentParser
import Foundation
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

extension AppOption {
    /// The application of `message`: `--app`/`HOOKLINE_APP` when given, else the one application holding this
    /// message id (message ids are unique; one read per application, so `--app` saves the search).
    func resolved(forMessage message: String, client: ServerClient, environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws -> String
    {
        if let app = try? resolved(environment: environment) { return app }
        guard message.hasPrefix("msg_") else { throw ValidationError("pass --app APP (or set HOOKLINE_APP) for a message addressed by event id") }
        var iterator: String?
        repeat {
            let page = try await client.call(.GET, "/api/v1/app", query: ["limit": "250", "iterator": iterator])
            guard case .array(let apps)? = page["data"] else { break }
            for app in apps {
                guard let id = app.string("id") else { continue }
                do {
                    _ = try await client.call(.GET, "/api/v1/app/\(id)/msg/\(message)")
                    return id
                } catch let error as CLIError where error.status == 404 {
                    continue
                }
            }
            iterator = page["done"] == .bool(false) ? page.string("iterator") : nil
        } while iterator != nil
        throw CLIError("message \(message) not found in any application")
    }
}
