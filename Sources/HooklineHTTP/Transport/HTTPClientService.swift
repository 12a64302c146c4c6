import AsyncHTTPClient
import ServiceLifecycle

/// Keeps the delivery clients alive for the service group and shuts them down last.
package struct HTTPClientService: Service {
    let client: HTTPClient
    let pooled: PooledHTTP1Transport?

    /// Wraps an `HTTPClient` alone.
    package init(client: HTTPClient) {
        self.client = client
        self.pooled = nil
    }

    /// Wraps both clients of `transport`: the pooled HTTP/1.1 client and AsyncHTTPClient.
    package init(transport: HTTPClientTransport) {
        self.client = transport.client
        self.pooled = transport.pooled
    }

    /// Waits for graceful shutdown, then closes the pooled connections and shuts AsyncHTTPClient down.
    package func run() async throws {
        try? await gracefulShutdown()
        await pooled?.shutdown()
        try await client.shutdown()
    }
}
