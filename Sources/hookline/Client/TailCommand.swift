import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklineCore
import NIOCore

/// `hookline tail`: follows the event stream, one line per event, reconnecting and resuming with the last id.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Follow the live event stream.")
    @OptionGroup var options: ClientOptions
    @Option(name: [.short, .long], help: "Only this application (id or uid).") var app: String?
    @Option(help: "Only messages of these event types (comma-separated).") var eventTypes: String?
    @Option(help: "Only messages on this channel.") var channel: String?
    @Option(help: "Only this endpoint.") var endpoint: String?
    @Option(help: "Only this message.") var msg: String?
    @Option(help: "Only these kinds, e.g. delivery.failed,delivery.exhausted (comma-separated).") var kinds: String?
    @Option(help: "Replay the events after this id first.") var lastEventId: String?
    @Option(help: "Exit after this many events.") var count: Int?
    @Flag(help: "Never colour the output.") var noColor = false

    func run() async throws {
        let client = options.client()
        let line = TailLine(colour: !noColor && !options.json && isatty(STDOUT_FILENO) == 1)
        var lastId = lastEventId
        var printed = 0
        var delay = Duration.seconds(1)
        var names = StreamNames(client: client)
        while true {
            do {
                let response = try await HTTPClient.shared.execute(request(client, lastId: lastId), timeout: .hours(24 * 365))
                guard response.status == .ok else {
                    let body = try await response.body.collect(upTo: 1 << 20)
                    throw CLIError(
                        status: Int(response.status.code), body: try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)),
                        raw: Data(buffer: body))
                }
                var parser = EventStreamParser()
                for try await chunk in response.body {
                    for frame in parser.feed(chunk.readableBytesView) {
                        if let retry = frame.retry { delay = .milliseconds(retry) }
                        guard let event = frame.event else { continue }
                        if let id = frame.id { lastId = id }
                        print(event: event, frame: frame, line: line, names: options.json ? [:] : await names.lookup(frame))
                        if !event.hasPrefix("stream.") { printed += 1 }
                        if let count, printed >= count { return }
                    }
                }
                if !options.json { Console.progress(line.notice("stream ended; reconnecting after id \(lastId ?? "-")")) }
            } catch let error as CLIError {
                throw error
            } catch {
                if !options.json { Console.progress(line.notice("stream interrupted (\(error)); reconnecting")) }
            }
            try await Task.sleep(for: delay)
        }
    }

    private func print(event: String, frame: EventStreamParser.Frame, line: TailLine, names: [String: String]) {
        let data = frame.data.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) } ?? .null
        if options.json {
            Console.out(
                (try? JSONValue.object(["event": .string(event), "id": frame.id.map(JSONValue.string) ?? .null, "data": data]).canonicalData())
                    .map { String(decoding: $0, as: UTF8.self) } ?? "")
        } else if event.hasPrefix("stream.") {
            Console.out(line.notice("\(event) \(frame.data ?? "")"))
        } else {
            Console.out(line.render(kind: event, data: data, names: names))
        }
    }

    private func request(_ client: ServerClient, lastId: String?) throws -> HTTPClientRequest {
        let path = app.map { "/api/v1/app/\($0)/stream" } ?? "/api/v1/stream"
        guard var components = URLComponents(string: client.baseURL + path) else { throw CLIError("invalid server URL '\(client.baseURL)'") }
        let query: [String: String?] = ["event_types": eventTypes, "channel": channel, "endpoint_id": endpoint, "msg_id": msg, "kinds": kinds]
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }.sorted { $0.name < $1.name }
        if !items.isEmpty { components.queryItems = items }
        var request = HTTPClientRequest(url: components.string ?? client.baseURL + path)
        request.headers.add(name: "accept", value: "text/event-stream")
        if let apiKey = client.apiKey { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        if let lastId { request.headers.add(name: "last-event-id", value: lastId) }
        return request
    }
}

/// Renders one stream event as a single terminal line: time, kind (coloured), ids and the outcome.
struct TailLine {
    /// Whether to use ANSI colours.
    var colour: Bool

    /// The line for an event frame with JSON `data`; ids found in `names` (application or endpoint id → uid) are shown by name.
    func render(kind: String, data: JSONValue, names: [String: String] = [:]) -> String {
        let time = Self.text(data["timestamp"]) ?? ""
        var parts = [String(time.dropFirst(11).prefix(12)), paint(kind.padding(toLength: 18, withPad: " ", startingAt: 0), for: kind)]
        for key in ["appId", "msgId", "endpointId", "eventType"] {
            if let value = Self.text(data[key]) { parts.append(names[value] ?? value) }
        }
        if let details = data["data"] {
            for key in ["statusCode", "durationMs", "attempts", "latencyMs", "reason"] {
                if let value = Self.text(details[key]) { parts.append("\(key)=\(value)") }
            }
        }
        return parts.joined(separator: " ")
    }

    /// A notice from the stream itself (gap, cut-off, reconnect).
    func notice(_ text: String) -> String {
        colour ? "\u{1B}[2m" + text + "\u{1B}[0m" : text
    }

    private static func text(_ value: JSONValue?) -> String? {
        guard let value, value != .null else { return nil }
        return value.cellText
    }

    private func paint(_ text: String, for kind: String) -> String {
        guard colour else { return text }
        let code: String =
            switch kind {
            case "delivery.succeeded": "32"
            case "delivery.failed", "delivery.skipped", "message.attempt.failing": "33"
            case "delivery.exhausted", "endpoint.disabled", "delivery.canceled", "message.attempt.exhausted": "31"
            case "message.created": "36"
            default: "35"
            }
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }
}

/// Application and endpoint uids by id for `tail`, read from the server once per id and remembered.
struct StreamNames {
    /// The server to ask.
    let client: ServerClient
    /// The uids found so far (one without a uid, or that could not be read, maps to its id).
    private(set) var uids: [String: String] = [:]

    /// A client-backed lookup with nothing cached.
    init(client: ServerClient) {
        self.client = client
    }

    /// The known names after looking up the application and endpoint an event frame names (`appId`, `endpointId`).
    mutating func lookup(_ frame: EventStreamParser.Frame) async -> [String: String] {
        guard let text = frame.data, let data = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
            let appId = data.string("appId")
        else { return uids }
        if uids[appId] == nil {
            uids[appId] = (try? await client.call(.GET, "/api/v1/app/\(appId)"))?.string("uid") ?? appId
        }
        if let endpointId = data.string("endpointId"), uids[endpointId] == nil {
            uids[endpointId] = (try? await client.call(.GET, "/api/v1/app/\(appId)/endpoint/\(endpointId)"))?.string("uid") ?? endpointId
        }
        return uids
    }
}

/// Splits Server-Sent Events text into frames as bytes arrive (lines end with `\n`; a blank line ends a frame).
struct EventStreamParser {
    /// One frame: the fields Hookline sends.
    struct Frame: Equatable {
        /// The `id:` field.
        var id: String?
        /// The `event:` field.
        var event: String?
        /// The `data:` lines joined with `\n`.
        var data: String?
        /// The `retry:` field in milliseconds.
        var retry: Int?
        /// Whether the frame was only a comment (a heartbeat).
        var isComment = false
    }

    private var line: [UInt8] = []
    private var current = Frame()
    private var sawField = false

    /// Feeds bytes; returns the frames they completed.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Frame] {
        var frames: [Frame] = []
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") else {
                line.append(byte)
                continue
            }
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            let text = String(decoding: line, as: UTF8.self)
            line.removeAll(keepingCapacity: true)
            if text.isEmpty {
                if sawField { frames.append(current) }
                current = Frame()
                sawField = false
                continue
            }
            sawField = true
            if text.hasPrefix(":") {
                current.isComment = true
                continue
            }
            let (name, value) = Self.field(text)
            switch name {
            case "id": current.id = value
            case "event": current.event = value
            case "data": current.data = current.data.map { $0 + "\n" + value } ?? value
            case "retry": current.retry = Int(value)
            default: break
            }
        }
        return frames
    }

    private static func field(_ text: String) -> (String, String) {
        guard let colon = text.firstIndex(of: ":") else { return (text, "") }
        var value = text[text.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(text[..<colon]), String(value))
    }
}
