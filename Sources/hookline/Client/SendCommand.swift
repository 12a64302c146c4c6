import ArgumentParser
import HooklineCore

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
