import ArgumentParser
import AsyncHTTPClient
import Foundation
import HooklineCore
import NIOCore
import NIOHTTP1

/// A small client of Hookline's REST API for the CLI.
struct ServerClient: Sendable {
    /// The server's base URL, without a trailing slash.
    let baseURL: String
    /// The admin API key, sent as a Bearer token.
    let apiKey: String?

    /// Calls `method path?query` with an optional JSON `body`; returns the decoded reply, or throws the server's error.
    func call(_ method: HTTPMethod, _ path: String, query: [String: String?] = [:], body: JSONValue? = nil) async throws -> JSONValue {
        guard var components = URLComponents(string: baseURL + path) else { throw CLIError("invalid server URL '\(baseURL)'") }
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }.sorted { $0.name < $1.name }
        if !items.isEmpty { components.queryItems = items }
        guard let url = components.string else { throw CLIError("invalid server URL '\(baseURL)'") }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "user-agent", value: "hookline-cli/\(HooklineVersion.current)")
        if let apiKey { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        if method == .POST { request.headers.add(name: "idempotency-key", value: "cli_\(UUID().uuidString)") }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try body.canonicalData()))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        } catch {
            throw CLIError("cannot reach \(baseURL): \(error)")
        }
        let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        let value = data.isEmpty ? JSONValue.object([:]) : (try? JSONDecoder().decode(JSONValue.self, from: data))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw CLIError(status: Int(response.status.code), body: value, raw: data)
        }
        guard let value else { throw CLIError("the server answered with something that is not JSON") }
        return value
    }
}

/// The flags every client command shares: where the server is, the key, and the output format.
struct ClientOptions: ParsableArguments {
    @Option(help: "The Hookline server (HOOKLINE_SERVER, default http://127.0.0.1:8400).")
    var server: String?

    @Option(help: "The admin API key (HOOKLINE_API_KEY).")
    var apiKey: String?

    @Flag(help: "Print the server's JSON instead of a table.")
    var json = false

    /// A client for the server these options name.
    func client(environment: [String: String] = ProcessInfo.processInfo.environment) -> ServerClient {
        func value(_ flag: String?, _ name: String) -> String? {
            flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        let base = value(server, "HOOKLINE_SERVER") ?? "http://127.0.0.1:8400"
        return ServerClient(baseURL: base.hasSuffix("/") ? String(base.dropLast()) : base, apiKey: value(apiKey, "HOOKLINE_API_KEY"))
    }

    /// Prints `value` as JSON when `--json` is set, else as `table` renders it.
    func print(_ value: JSONValue, table: (JSONValue) -> TextTable) {
        Console.out(json ? value.prettyText : table(value).rendered)
    }
}

/// A failure the CLI reports on standard error before exiting non-zero.
struct CLIError: Error, CustomStringConvertible {
    /// What to print.
    let description: String
    /// The server's HTTP status, when the server answered with an error.
    var status: Int?

    /// An error with this message.
    init(_ message: String) {
        description = message
    }

    /// The server's error reply: `{"code","detail"}` or a validation `detail` list.
    init(status: Int, body: JSONValue?, raw: Data) {
        var parts: [String] = []
        if case .array(let items)? = body?["detail"] {
            for item in items {
                let location = item["loc"].map { $0.cellText.replacingOccurrences(of: ",", with: ".") } ?? ""
                parts.append("\(location): \(item["msg"]?.cellText ?? "invalid")")
            }
        } else if let detail = body?["detail"]?.cellText {
            parts.append(body?["code"].map { "\($0.cellText): \(detail)" } ?? detail)
        } else {
            parts.append(String(decoding: raw.prefix(500), as: UTF8.self))
        }
        description = "server answered \(status): " + parts.joined(separator: "; ")
        self.status = status
    }
}

/// `--limit` and `--iterator` for list commands.
struct PageOptions: ParsableArguments {
    @Option(help: "The most items to show (1–250, default 50).") var limit: Int?
    @Option(help: "Continue from this iterator (a leading '-' pages backwards).") var iterator: String?

    /// The query parameters.
    var query: [String: String?] { ["limit": limit.map(String.init), "iterator": iterator] }
}

/// Times on the command line: an ISO 8601 date-time, or a duration meaning "that long ago" (`2h`).
enum TimeArgument {
    /// `text` as an ISO 8601 string the server accepts.
    static func iso8601(_ text: String, now: Date = Date()) throws -> String {
        if let duration = try? DurationList.parseOne(text) {
            return now.adding(.zero - duration).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        return text
    }
}
