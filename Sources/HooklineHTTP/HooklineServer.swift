import HooklineCore
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// Builds Hookline's HTTP application: the Svix-compatible API, health, auth and error mapping.
package enum HooklineServer {
    /// How the HTTP server listens and what it accepts.
    package struct Configuration: Sendable {
        /// The address to bind.
        package var host: String
        /// The port to bind; 0 picks a free one.
        package var port: Int
        /// The admin API key required as a Bearer token.
        package var apiKey: String
        /// The largest request body accepted (413 above it).
        package var maxBodyBytes: Int
        /// A Bearer token `/metrics` requires; open when `nil`.
        package var metricsToken: String?
        /// How long a connection may sit idle (or send a request too slowly) before it is closed.
        package var idleTimeout: Duration
        /// The tenant portal's public URL and embedding rules.
        package var portal = Portal()

        /// Creates a configuration; defaults: 127.0.0.1:8400, 1 MiB bodies.
        package init(host: String = "127.0.0.1", port: Int = 8400, apiKey: String, maxBodyBytes: Int = 1 << 20) {
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.maxBodyBytes = maxBodyBytes
            self.metricsToken = nil
            self.idleTimeout = .seconds(60)
        }
    }

    /// The routes behind the middlewares, for the server and for in-process tests.
    package static func makeRouter<Store: HooklineStore, Clock: HooklineClock>(
        configuration: Configuration, gateway: Gateway<Store, Clock>, readiness: Readiness,
        metrics: PrometheusCollectorRegistry? = nil, inbound: InboundGateway<Store, Clock>? = nil,
        live: LiveServices<Store, Clock>? = nil, health: HealthDetail? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(LogRequestsMiddleware(.debug))
        router.middlewares.add(ErrorMiddleware())
        if let metrics {
            router.middlewares.add(MetricsMiddleware())
            MetricsRoutes(registry: metrics, token: configuration.metricsToken, pool: gateway.store as? any StorePoolReporting).register(on: router)
        }
        router.middlewares.add(
            AuthMiddleware(
                apiKey: configuration.apiKey,
                publicPaths: Set(["/api/v1/health", ReadinessRoutes.path, HealthRoutes.pingPath, "/api/v1/openapi.json", "/metrics"]).union(
                    live == nil ? [] : DashboardRoutes.paths),
                publicPrefixes: inbound == nil ? [] : [InboundRoutes<Store, Clock>.publicPrefix],
                bypass: StreamRoutes<Store, Clock>.carriesToken, portal: PortalGate(gateway: gateway)))
        router.middlewares.add(IdempotencyMiddleware(gate: IdempotencyGate(store: gateway.store, clock: gateway.clock)))
        let api = router.group("api/v1")
        let routes = RouteContext(gateway: gateway, maxBodyBytes: configuration.maxBodyBytes, governor: live?.governor)
        HealthRoutes(readiness: readiness).register(on: api)
        if let health { ReadinessRoutes(readiness: readiness, detail: health).register(on: api) }
        OpenAPIRoutes().register(on: api)
        ApplicationRoutes(routes: routes).register(on: api)
        EndpointRoutes(routes: routes).register(on: api)
        MessageRoutes(routes: routes).register(on: api)
        EventTypeRoutes(routes: routes).register(on: api)
        MessageContentRoutes(routes: routes).register(on: api)
        ManagementRoutes(routes: routes).register(on: api)
        PortalAccessRoutes(routes: routes, portal: configuration.portal).register(on: api)
        if let inbound {
            let inboundRoutes = InboundRouteContext(inbound: inbound, maxBodyBytes: configuration.maxBodyBytes)
            SourceRoutes(routes: inboundRoutes).register(on: api)
            InboundRoutes(routes: inboundRoutes).register(on: router)
        }
        if let live {
            StreamRoutes(routes: routes, live: live).register(on: api)
            StatusRoutes(board: live.status).register(on: api)
            DashboardRoutes(portal: configuration.portal).register(on: router)
        }
        router.middlewares.add(MethodNotAllowedMiddleware(table: RouteMethodTable(router.routes)))
        return router
    }

    /// The HTTP application as a service; `onListening` receives the bound port.
    package static func makeApplication<Store: HooklineStore, Clock: HooklineClock>(
        configuration: Configuration, gateway: Gateway<Store, Clock>, readiness: Readiness, logger: Logger,
        metrics: PrometheusCollectorRegistry? = nil, inbound: InboundGateway<Store, Clock>? = nil,
        live: LiveServices<Store, Clock>? = nil, health: HealthDetail? = nil, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = makeRouter(
            configuration: configuration, gateway: gateway, readiness: readiness, metrics: metrics, inbound: inbound, live: live,
            health: health)
        let idleMilliseconds = Int64(configuration.idleTimeout.timeInterval * 1000)
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .milliseconds(idleMilliseconds))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Hookline"),
            onServerRunning: { channel in
                readiness.set(true)
                await onListening(channel.localAddress?.port ?? configuration.port)
            },
            logger: logger
        )
    }
}
