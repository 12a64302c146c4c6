import ArgumentParser
import Foundation
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

/// `hookline send APP EVENT_TYPE --data …`: one message, or one per line of newline-delimited JSON.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a message (or one per line of a JSON-lines file) to an application.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The application id or uid.") var app: String
    @Argument(help: "The event type, e.g. invoice.paid.") var eventType: String
    @Option(help: "The payload: JSON, @file (JSON or JSON lines), or - for stdin (the default).") var data: String?
    @Option(help: "An id unique within the application (single message only).") var eventId: String?
    @Option(name: .customLong("channel"), help: "A channel to send on; repeatable.") var channels: [String] = []

    /// The message table's columns: title and JSON field.
    static let columns = [("ID", "id"), ("EVENT TYPE", "eventType"), ("EVENT ID", "eventId"), ("TIMESTAMP", "timestamp")]

    func run() async throws {
        let payloads = try PayloadSource.payloads(data)
        if payloads.count > 1 && eventId != nil { throw CLIError("--event-id applies to a single message") }
        let client = options.client()
        var sent: [JSONValue] = []
        for (index, payload) in payloads.enumerated() {
            var body: [String: JSONValue] = ["eventType": .string(eventType), "payload": payload]
            if let eventId { body["eventId"] = .string(eventId) }
            if !channels.isEmpty { body["channels"] = .array(channels.map(JSONValue.string)) }
            sent.append(try await client.call(.POST, "/api/v1/app/\(app)/msg", body: .object(body)))
            let done = index + 1
            if payloads.count > 1 && (done % 100 == 0 || done == payloads.count) {
                Console.progress("sent \(done)/\(payloads.count)")
            }
        }
        if sent.count == 1 {
            options.print(sent[0]) { TextTable.fields($0, keys: ["id", "eventType", "eventId", "channels", "timestamp", "payload"]) }
        } else {
            options.print(.object(["data": .array(sent), "done": .bool(true), "iterator": .null])) { TextTable.list($0, Self.columns) }
        }
    }
}

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

/// `hookline attempts MSG [--app APP]`: the delivery attempts of a message (its application is found when not given).
struct AttemptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attempts", abstract: "List a message's delivery attempts, newest first.")
    @OptionGroup var options: ClientOptions
    @OptionGroup var app: AppOption
    @Argument(help: "The message id.") var message: String
    @OptionGroup var page: PageOptions

    /// The attempt table's columns: title and JSON field.
    static let columns = [
        ("ID", "id"), ("STATUS", "statusText"), ("CODE", "responseStatusCode"), ("TRIGGER", "triggerType"), ("ENDPOINT", "endpointId"),
        ("TIMESTAMP", "timestamp"), ("REASON", "response"),
    ]

    func run() async throws {
        let client = options.client()
        let appId = try await app.resolved(forMessage: message, client: client)
        let list = try await client.call(.GET, "/api/v1/app/\(appId)/attempt/msg/\(message)", query: page.query)
        let endpoints = options.json ? [:] : try await EndpointNames.fetch(app: appId, client: client)
        options.print(list) { Self.readable(TextTable.list($0, Self.columns), endpoints: endpoints) }
    }

    /// The table with triggers named (`scheduled`, `manual`) and endpoints shown by uid where they have one.
    static func readable(_ table: TextTable, endpoints: [String: String]) -> TextTable {
        var table = table
        let keys = columns.map(\.1)
        for row in table.rows.indices where table.rows[row].count == keys.count {
            for (column, key) in keys.enumerated() {
                let cell = table.rows[row][column]
                switch key {
                case "triggerType": table.rows[row][column] = cell == "1" ? "manual" : cell == "0" ? "scheduled" : cell
                case "endpointId": table.rows[row][column] = endpoints[cell] ?? cell
                case "response": table.rows[row][column] = reason(cell, status: table.rows[row][keys.firstIndex(of: "statusText")!])
                default: break
                }
            }
        }
        return table
    }

    /// Why a failed attempt failed, on one line of at most 60 characters: the refusal, network error or
    /// timeout when no response came (code 0), else the start of the receiver's body; empty for a success.
    static func reason(_ response: String, status: String) -> String {
        guard status != "success" else { return "" }
        let line = response.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }
}

/// Where `send` reads payloads: inline JSON, `@file`, or standard input (`-` or nothing).
enum PayloadSource {
    /// The payloads in `argument`: one JSON value, or one per line (newline-delimited JSON).
    static func payloads(_ argument: String?) throws -> [JSONValue] {
        let text: String
        switch argument {
        case nil, "-"?:
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        case let value? where value.hasPrefix("@"):
            let path = String(value.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
            text = String(decoding: data, as: UTF8.self)
        case let value?:
            text = value
        }
        let decoder = JSONDecoder()
        if let single = try? decoder.decode(JSONValue.self, from: Data(text.utf8)) { return [single] }
        var payloads: [JSONValue] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let value = try? decoder.decode(JSONValue.self, from: Data(line.utf8)) else {
                throw CLIError("line \(index + 1) of the data is not JSON")
            }
            payloads.append(value)
        }
        guard !payloads.isEmpty else { throw CLIError("no payload given: pass --data '{...}', --data @file.json, or JSON on stdin") }
        return payloads
    }
}
