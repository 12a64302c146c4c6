import ArgumentParser
import Foundation
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

extension EndpointCommand {
    /// `hookline endpoint secret APP ENDPOINT`.
    struct Secret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an endpoint's signing secret.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "The endpoint id or uid.") var endpoint: String

        func run() async throws {
            let value = try await options.client().call(.GET, "/api/v1/app/\(app)/endpoint/\(endpoint)/secret")
            Console.out(options.json ? value.prettyText : value.string("key") ?? "")
        }
    }

    /// `hookline endpoint rotate APP ENDPOINT`.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rotate an endpoint's signing secret; the old one keeps signing for a grace period.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The application id or uid.") var app: String
        @Argument(help: "The endpoint id or uid.") var endpoint: String
        @Option(help: "The new secret (whsec_…); generated when absent.") var key: String?
        @Option(help: "How long the old secret keeps signing, e.g. 1h (default: the server's, 24h).") var gracePeriod: String?

        func run() async throws {
            var body: [String: JSONValue] = [:]
            if let key { body["key"] = .string(key) }
            if let gracePeriod {
                let duration = try DurationList.parseOne(gracePeriod)
                body["gracePeriodSeconds"] = .integer(duration.components.seconds)
            }
            let value = try await options.client().call(.POST, "/api/v1/app/\(app)/endpoint/\(endpoint)/secret/rotate", body: .object(body))
            Console.out(options.json ? value.prettyText : value.string("key") ?? "")
        }
    }
}

/// `hookline recover ENDPOINT --app APP --since 2h`: re-queues failed and skipped deliveries and follows the task.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover", abstract: "Re-send every failed delivery of an endpoint since a time, showing progress.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var app: AppOption
    @Argument(help: "The endpoint id or uid.") var endpoint: String
    @Option(help: "Messages created since this ISO 8601 time, or this long ago (e.g. 2h).") var since: String
    @Option(help: "Messages created before this ISO 8601 time, or this long ago.") var until: String?
    @Flag(help: "Return once the task is started instead of waiting for it.") var noWait = false

    func run() async throws {
        let client = options.client()
        var body: [String: JSONValue] = ["since": .string(try TimeArgument.iso8601(since))]
        if let until { body["until"] = .string(try TimeArgument.iso8601(until)) }
        var task = try await client.call(.POST, "/api/v1/app/\(try app.resolved())/endpoint/\(endpoint)/recover", body: .object(body))
        guard let id = task.string("id") else { throw CLIError("the server returned no task id") }
        var reported = -1
        while !noWait && task.string("status") == "running" {
            let sent = Int(task["data"]?["messagesSent"]?.cellText ?? "") ?? 0
            if sent != reported {
                Console.progress("recovering: \(sent) messages re-queued")
                reported = sent
            }
            try await Task.sleep(for: .milliseconds(250))
            task = try await client.call(.GET, "/api/v1/background-task/\(id)")
        }
        if !noWait { Console.progress("\(task.string("status") ?? "done"): \(task["data"]?["messagesSent"]?.cellText ?? "0") messages re-queued") }
        options.print(task) { TextTable.fields($0, keys: ["id", "task", "status", "data", "updatedAt"]) }
        if task.string("status") == "failed" { throw ExitCode.failure }
    }
}

/// The endpoint fields `create` and `update` share.
struct EndpointFields: ParsableArguments {
    @Option(help: "A unique identifier within the application.") var uid: String?
    @Option(help: "A description.") var description: String?
    @Option(name: .customLong("event-type"), help: "An event type to receive; repeatable (default: all).") var eventTypes: [String] = []
    @Option(name: .customLong("channel"), help: "A channel to receive; repeatable.") var channels: [String] = []
    @Option(name: .customLong("header"), help: "An extra delivery header as NAME=VALUE; repeatable.") var headers: [String] = []

    /// The JSON fields these options set.
    var body: [String: JSONValue] {
        var body: [String: JSONValue] = [:]
        if let uid { body["uid"] = .string(uid) }
        if let description { body["description"] = .string(description) }
        if !eventTypes.isEmpty { body["eventTypes"] = .array(eventTypes.map(JSONValue.string)) }
        if !channels.isEmpty { body["channels"] = .array(channels.map(JSONValue.string)) }
        if !headers.isEmpty {
            var map: [String: JSONValue] = [:]
            for header in headers {
                let parts = header.split(separator: "=", maxSplits: 1)
                map[String(parts[0])] = .string(parts.count > 1 ? String(parts[1]) : "")
            }
            body["headers"] = .object(map)
        }
        return body
    }
}

/// Endpoint uids by id, so tables can name endpoints the way users created them.
enum EndpointNames {
    /// The uids of the application's endpoints (up to 250), keyed by endpoint id; endpoints without a uid are left out.
    static func fetch(app: String, client: ServerClient) async throws -> [String: String] {
        let page = try await client.call(.GET, "/api/v1/app/\(app)/endpoint", query: ["limit": "250"])
        guard case .array(let endpoints)? = page["data"] else { return [:] }
        var names: [String: String] = [:]
        for endpoint in endpoints {
            if let id = endpoint.string("id"), let uid = endpoint.string("uid") { names[id] = uid }
        }
        return names
    }
}

/// `--enable` or `--disable` on `endpoint update`.
enum DeliveryToggle: String, EnumerableFlag {
    case enable, disable
}
