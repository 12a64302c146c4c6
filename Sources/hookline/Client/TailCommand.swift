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
