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
