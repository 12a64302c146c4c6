import AsyncHTTPClient
import ServiceLifecycle

/// Keeps an `HTTPClient` alive for the service group and shuts it down last.
public struct HTTPClientService: Service {
    let client: HTTPClient

    /// Wraps `client`.
    public init(client: HTTPClient) {
        self.client = client
    }

    /// Waits for graceful shutdown, then shuts the client down.
    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
