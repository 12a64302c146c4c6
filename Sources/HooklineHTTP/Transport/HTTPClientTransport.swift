import AsyncHTTPClient
import Foundation
import HooklineCore
import NIOCore
import NIOHTTP1

/// Delivers over HTTP: pooled keep-alive connections, no redirects, capped bodies.
///
/// Plain `http` URLs go through `PooledHTTP1Transport`, a lean HTTP/1.1 client on SwiftNIO (unless
/// `usesPooledHTTP1` is off); `https` — and any URL that client does not parse — through AsyncHTTPClient,
/// which owns TLS, SNI and certificate verification.
///
/// The SSRF guard runs twice per delivery: the URL's host is resolved once (through `resolver`) and
/// every address must be permitted before anything is sent; then every new connection's actual peer
/// address is checked again by `ConnectionGuard` before a request may use it, so a DNS answer that
/// changes between the two lookups (rebinding) cannot reach a blocked address. Host header, TLS SNI and
/// certificate verification keep using the URL's host name.
package struct HTTPClientTransport: DeliveryTransport {
    /// How outbound connections behave.
    package struct Configuration: Sendable {
        /// Which addresses may be reached; checked again at send time.
        package var networkPolicy: NetworkPolicy
        /// The deadline for establishing a connection.
        package var connectTimeout: Duration
        /// The most response-body bytes kept for the attempt record.
        package var responseBodyCap: Int
        /// Keep-alive connections per endpoint host.
        package var connectionsPerHost: Int
        /// Resolves endpoint hosts for the send-time check (by default the system resolver on NIO's thread pool, each
        /// answer reused for 10 s).
        package var resolver: any HostResolving = CachingResolver(base: ThreadPoolResolver())
        /// Whether `http` URLs go through the pooled HTTP/1.1 client (`https` always uses AsyncHTTPClient).
        package var usesPooledHTTP1 = true
        /// How long a pooled connection may stay idle before it is closed.
        package var idleTimeout: Duration = .seconds(60)

        /// Creates a configuration; defaults: no private addresses, 15 s connect, 4 KiB bodies, 64 connections per host.
        package init(
            networkPolicy: NetworkPolicy = NetworkPolicy(), connectTimeout: Duration = .seconds(15), responseBodyCap: Int = 4096,
            connectionsPerHost: Int = 64
        ) {
            self.networkPolicy = networkPolicy
            self.connectTimeout = connectTimeout
            self.responseBodyCap = responseBodyCap
            self.connectionsPerHost = connectionsPerHost
        }
    }

    let configuration: Configuration
    /// The AsyncHTTPClient for `https`; shut it (and the pooled client) down with `HTTPClientService` or `shutdown()`.
    package let client: HTTPClient
    /// The client for plain `http`.
    let pooled: PooledHTTP1Transport

    /// Creates a transport with its own client.
    package init(configuration: Configuration = .init()) {
        self.configuration = configuration
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(configuration.connectTimeout.timeInterval * 1000))),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.connectionsPerHost)
        )
        clientConfiguration.httpVersion = .http1Only
        // A refused or failed connect fails the attempt at once (the retry policy decides what next)
        // instead of reconnecting — possibly to a refused address — until the deadline.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        let connectionGuard = ConnectionGuard(policy: configuration.networkPolicy)
        clientConfiguration.http1_1ConnectionDebugInitializer = connectionGuard.initializer()
        clientConfiguration.http2ConnectionDebugInitializer = connectionGuard.initializer()
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        self.pooled = PooledHTTP1Transport(configuration: configuration, group: HTTPClient.defaultEventLoopGroup)
    }

    /// Closes every connection of both clients; the transport must not be used afterwards.
    package func shutdown() async throws {
        await pooled.shutdown()
        try await client.shutdown()
    }

    /// Sends one delivery; network errors and refusals are reported as a response without a status.
    package func send(_ request: OutboundRequest) async -> TransportResponse {
        if configuration.usesPooledHTTP1, let target = pooled.target(for: request.url) {
            if let refusal = await refusal(host: target.host) { return refusal }
            return await pooled.send(request, to: target)
        }
        guard let host = URLComponents(string: request.url)?.host, !host.isEmpty else {
            return TransportResponse(statusCode: nil, body: "refused: invalid url", refused: true)
        }
        if let refusal = await refusal(host: host) {
            return refusal
        }
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = .POST
        for header in request.headers { outbound.headers.add(name: header.name, value: header.value) }
        outbound.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let deadline = NIODeadline.now() + .milliseconds(Int64(request.timeout.timeInterval * 1000))
            let response = try await client.execute(outbound, deadline: deadline)
            var kept = ByteBuffer()
            for try await chunk in response.body {
                let room = configuration.responseBodyCap - kept.readableBytes
                guard room > 0 else { break }
                kept.writeImmutableBuffer(chunk.getSlice(at: chunk.readerIndex, length: min(room, chunk.readableBytes))!)
            }
            return TransportResponse(
                statusCode: Int(response.status.code), body: String(buffer: kept),
                retryAfter: response.headers.first(name: "retry-after"))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return TransportResponse(statusCode: nil, body: "timed out: \(error)", timedOut: true)
        } catch let refused as ConnectionGuard.Refused {
            return TransportResponse(statusCode: nil, body: refused.description, refused: true)
        } catch {
            return TransportResponse(statusCode: nil, body: "network error: \(error)")
        }
    }

    /// The send-time SSRF check: why `host` may not be reached (it does not resolve, or resolves to a
    /// blocked address), or nil when every address it resolves to is permitted.
    private func refusal(host: String) async -> TransportResponse? {
        let addresses = await configuration.resolver.addresses(of: host)
        if addresses.isEmpty { return TransportResponse(statusCode: nil, body: "network error: could not resolve \(host)") }
        if let blocked = addresses.first(where: { !configuration.networkPolicy.permits($0) }) {
            return TransportResponse(statusCode: nil, body: "refused: \(host) resolves to \(blocked), which is not allowed", refused: true)
        }
        return nil
    }
}
