import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A minimal JSON-over-HTTP client for tests: over a socket to a node's URL, or in process through Hummingbird's router.
struct APIClient: Sendable {
    /// One answer: status, lower-cased headers, body.
    struct Reply: @unchecked Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    /// Where requests go.
    enum Route: Sendable {
        /// Over a real connection to the server at this base URL.
        case socket(String)
        /// Straight into the application's router (`app.test(.router)`), no socket.
        case router(any TestClientProtocol)
    }

    let route: Route
    var apiKey: String?

    /// A client of the server at `baseURL`, sending `apiKey` as a Bearer token when set.
    init(baseURL: String, apiKey: String? = TestNode.apiKey) {
        self.route = .socket(baseURL)
        self.apiKey = apiKey
    }

    /// A client sending over `route`, with `apiKey` as a Bearer token when set.
    init(route: Route, apiKey: String? = TestNode.apiKey) {
        self.route = route
        self.apiKey = apiKey
    }

    /// Sends `method path` with a JSON body (`json`) or raw text (`raw`), the API key and `headers`.
    func call(_ method: String, _ path: String, json: Any? = nil, raw: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var fields: [(String, String)] = []
        if let apiKey { fields.append(("authorization", "Bearer \(apiKey)")) }
        fields += headers.map { ($0.key, $0.value) }
        var body: Data?
        if let json {
            fields.append(("content-type", "application/json"))
            body = try JSONSerialization.data(withJSONObject: json)
        } else if let raw {
            body = Data(raw.utf8)
        }
        return try await send(method, path, headers: fields, body: body)
    }

    /// Sends `method path` with exactly `headers` and `body` (the API key is not added).
    func send(_ method: String, _ path: String, headers: [(String, String)], body: Data?) async throws -> Reply {
        switch route {
        case .socket(let baseURL):
            var request = HTTPClientRequest(url: baseURL + path)
            request.method = .init(rawValue: method)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let collected = try await response.body.collect(upTo: 8 << 20)
            var replyHeaders: [String: String] = [:]
            for header in response.headers { replyHeaders[header.name.lowercased()] = header.value }
            return Reply(status: Int(response.status.code), headers: replyHeaders, body: Data(buffer: collected))
        case .router(let client):
            let requestMethod = try #require(HTTPRequest.Method(method), "an HTTP method: \(method)")
            var fields = HTTPFields()
            for (name, value) in headers {
                fields.append(HTTPField(name: try #require(HTTPField.Name(name), "a header name: \(name)"), value: value))
            }
            let response = try await client.executeRequest(
                uri: path, method: requestMethod, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
            var replyHeaders: [String: String] = [:]
            for field in response.headers { replyHeaders[field.name.canonicalName] = field.value }
            return Reply(status: response.status.code, headers: replyHeaders, body: Data(buffer: response.body))
        }
    }
}
