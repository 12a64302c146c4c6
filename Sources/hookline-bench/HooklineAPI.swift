import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The slice of Hookline's Svix-compatible API the bench uses, over a shared ``HTTPClient``.
///
/// The baseline server answers the same calls, so one client type drives both.
struct HooklineAPI: Sendable {
    /// Scheme, host and port, e.g. `http://127.0.0.1:8080`.
    let baseURL: String
    /// The bearer token.
    let apiKey: String

    let client: HTTPClient
    private let headers: HTTPHeaders
    private let requestTimeout: TimeAmount

    /// A client for the server at `baseURL` that authenticates with `apiKey`.
    init(baseURL: String, apiKey: String, client: HTTPClient, requestTimeout: Duration = .seconds(30)) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.client = client
        self.headers = [
            "authorization": "Bearer \(apiKey)",
            "content-type": "application/json",
            "accept": "application/json",
        ]
        self.requestTimeout = .nanoseconds(Int64(requestTimeout.inSeconds * 1e9))
    }

    /// Whether `GET /api/v1/health` answers 200 right now.
    func isHealthy() async -> Bool {
        var request = HTTPClientRequest(url: baseURL + "/api/v1/health")
        request.headers = headers
        guard let response = try? await client.execute(request, timeout: .seconds(2)) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }

    /// Polls the health route until it answers 200 or `timeout` passes.
    func waitUntilHealthy(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await isHealthy() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// `POST /api/v1/app`; returns the new application's id.
    func createApplication(name: String) async throws -> String {
        try await create(path: "/api/v1/app", body: ["name": name], call: "create application")
    }

    /// `POST /api/v1/app/{app}/endpoint`; returns the new endpoint's id.
    func createEndpoint(applicationID: String, url: String) async throws -> String {
        try await create(path: "/api/v1/app/\(applicationID)/endpoint", body: ["url": url], call: "create endpoint")
    }

    /// The reusable parts of a message create to `applicationID`, for the hot path.
    func messageRoute(applicationID: String) -> MessageRoute {
        MessageRoute(
            client: client,
            url: baseURL + "/api/v1/app/\(applicationID)/msg?with_content=false",
            headers: headers,
            timeout: requestTimeout
        )
    }

    /// A raw request on this server with the bench's credentials, for routes this type does not model.
    func request(path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.headers = headers
        return request
    }

    private func create(path: String, body: [String: String], call: String) async throws -> String {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await client.execute(request, timeout: requestTimeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .created || response.status == .ok,
            let created = try? JSONDecoder().decode(Created.self, from: Data(bytes.readableBytesView))
        else {
            throw BenchError.unexpectedResponse(call, status: response.status.code, body: String(buffer: bytes))
        }
        return created.id
    }
}

extension HooklineAPI {
    /// `POST /api/v1/app/{app}/msg` with everything but the body prepared once.
    struct MessageRoute: Sendable {
        fileprivate let client: HTTPClient
        fileprivate let url: String
        fileprivate let headers: HTTPHeaders
        fileprivate let timeout: TimeAmount

        /// Sends the bench message `seq` and reports how the server answered.
        func send(seq: Int) async -> MessageOutcome {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers = headers
            request.body = .bytes(BenchPayload.messageCreateBody(seq: seq))
            do {
                let response = try await client.execute(request, timeout: timeout)
                let body = try await response.body.collect(upTo: 1 << 20)
                guard response.status == .accepted else { return .rejected(status: response.status.code) }
                guard let created = try? JSONDecoder().decode(Created.self, from: Data(body.readableBytesView)) else {
                    return .failed(reason: "202 without an id")
                }
                return .accepted(messageID: created.id)
            } catch {
                return .failed(reason: HooklineAPI.reason(error))
            }
        }
    }

    /// A short, stable name for a request failure, so that failures group by kind in the report.
    fileprivate static func reason(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError: String(describing: error)
        case let error as IOError: "I/O error: " + String(cString: strerror(error.errnoCode))
        default: String(describing: type(of: error))
        }
    }

    /// The one field the bench reads from a create response.
    fileprivate struct Created: Decodable {
        let id: String
    }
}
