import ArgumentParser
import HooklineCore

/// `hookline source create|list|get|delete|requests|replay`.
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source", abstract: "Manage inbound sources (provider webhooks received at /in/{source}).",
        subcommands: [Create.self, List.self, Get.self, Delete.self, Requests.self, Replay.self])

    /// The list table's columns: title and JSON field.
    static let columns = [("ID", "id"), ("UID", "uid"), ("NAME", "name"), ("APP", "appId"), ("INGEST PATH", "ingestPath")]
    /// The order of fields in a single source's table.
    static let fields = [
        "id", "uid", "name", "appId", "ingestPath", "verification", "secret", "eventType", "dedupId", "dedupWindowSeconds",
        "correlationId", "maxBodyBytes", "ackStatus", "ackBody", "createdAt", "updatedAt",
    ]

    /// `hookline source create NAME --app APP --scheme SCHEME`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a source.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The display name.") var name: String
        @Option(name: [.short, .long], help: "The target application id or uid.") var app: String
        @Option(help: "none, standard-webhooks, svix, github, stripe, shopify, hmac, basic-auth or header-token.") var scheme: String
        @Option(help: "The secret (generated when absent; basic-auth: user:password).") var secret: String?
        @Option(help: "A unique identifier usable in place of the id.") var uid: String?
        @Option(help: "hmac: the signature header; header-token: the token header.") var header: String?
        @Option(help: "hmac: sha1, sha256 or sha512.") var algorithm: String?
        @Option(help: "hmac: hex or base64.") var encoding: String?
        @Option(help: "hmac: text before the signature, e.g. sha256=.") var prefix: String?
        @Option(help: "hmac: the signed content, e.g. {timestamp}.{body}.") var template: String?
        @Option(help: "hmac: the header holding {timestamp}.") var timestampHeader: String?
        @Option(help: "The event type: header:NAME, json:PATH or fixed:VALUE.") var eventType: String?
        @Option(help: "The provider's event id for dedup: header:NAME or json:PATH.") var dedupId: String?
        @Option(help: "The correlation id kept on messages: header:NAME or json:PATH.") var correlationId: String?
        @Option(help: "The largest body accepted, in bytes.") var maxBodyBytes: Int?

        func run() async throws {
            var verification: [String: JSONValue] = ["scheme": .string(scheme)]
            for (key, value) in [
                ("header", header), ("algorithm", algorithm), ("encoding", encoding), ("prefix", prefix),
                ("template", template), ("timestampHeader", timestampHeader),
            ] {
                if let value { verification[key] = .string(value) }
            }
            var body: [String: JSONValue] = ["name": .string(name), "app": .string(app), "verification": .object(verification)]
            for (key, value) in [("secret", secret), ("uid", uid), ("eventType", eventType), ("dedupId", dedupId), ("correlationId", correlationId)] {
                if let value { body[key] = .string(value) }
            }
            if let maxBodyBytes { body["maxBodyBytes"] = .integer(Int64(maxBodyBytes)) }
            let source = try await options.client().call(.POST, "/api/v1/source", body: .object(body))
            options.print(source) { TextTable.fields($0, keys: SourceCommand.fields) }
        }
    }

    /// `hookline source list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sources, newest first.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var page: PageOptions

        func run() async throws {
            let list = try await options.client().call(.GET, "/api/v1/source", query: page.query)
            options.print(list) { TextTable.list($0, SourceCommand.columns) }
        }
    }

    /// `hookline source get SOURCE`.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a source.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The source id or uid.") var source: String

        func run() async throws {
            let value = try await options.client().call(.GET, "/api/v1/source/\(source)")
            options.print(value) { TextTable.fields($0, keys: SourceCommand.fields) }
        }
    }

    /// `hookline source delete SOURCE`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a source and its stored requests.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The source id or uid.") var source: String

        func run() async throws {
            _ = try await options.client().call(.DELETE, "/api/v1/source/\(source)")
            if !options.json { Console.out("deleted \(source)") } else { Console.out("{}") }
        }
    }
}

extension SourceCommand {
    /// `hookline source requests SOURCE [--status S]`.
    struct Requests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a source's stored requests with their verification result.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The source id or uid.") var source: String
        @Option(help: "Only requests in this status: pending, routed, duplicate, rejected or failed.") var status: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            var query = page.query
            query["status"] = status
            let list = try await options.client().call(.GET, "/api/v1/source/\(source)/request", query: query)
            options.print(list) {
                TextTable.list(
                    $0,
                    [
                        ("ID", "id"), ("STATUS", "status"), ("VERIFICATION", "verification"), ("REASON", "reason"),
                        ("MESSAGE", "messageId"), ("RECEIVED", "receivedAt"),
                    ])
            }
        }
    }

    /// `hookline source replay SOURCE REQUEST`.
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Route a stored request again as a new message.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The source id or uid.") var source: String
        @Argument(help: "The stored request id (inreq_…).") var request: String

        func run() async throws {
            let value = try await options.client().call(.POST, "/api/v1/source/\(source)/request/\(request)/replay")
            options.print(value) { TextTable.fields($0, keys: ["id", "status", "verification", "receivedAt"]) }
        }
    }
}
