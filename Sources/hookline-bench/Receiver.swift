import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The webhook endpoint Hookline delivers to: an in-process Hummingbird server on 127.0.0.1 that
/// answers 200 at once and logs each arrival's instant, `webhook-id` and `seq`.
///
/// It shares the bench's ``ContinuousClock`` with the load generators, so end-to-end latency is a plain
/// subtraction: arrival minus (scheduled) send.
final class Receiver: Sendable {
    /// Where Hookline should POST deliveries.
    let url: String
    /// Every delivery so far.
    let log: DeliveryLog

    private let services: ServiceGroup
    private let running: Task<Void, any Error>

    private init(url: String, log: DeliveryLog, services: ServiceGroup, running: Task<Void, any Error>) {
        self.url = url
        self.log = log
        self.services = services
        self.running = running
    }

    /// Starts the receiver on an ephemeral loopback port and returns once it accepts connections.
    static func start(timeout: Duration = .seconds(10)) async throws -> Receiver {
        let log = DeliveryLog()
        let webhookID = HTTPField.Name("webhook-id")!

        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let arrival = ContinuousClock.now
            let body = try await request.body.collect(upTo: 1 << 20)
            let seq = BenchPayload.seq(in: body)
            log.append(
                .init(
                    seq: seq,
                    messageID: request.headers[webhookID],
                    exactPayload: seq.map { BenchPayload.isExactPayload(body, seq: $0) } ?? false,
                    arrival: arrival
                )
            )
            return .ok
        }

        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let logger = Logger.quiet(label: "hookline-bench.receiver")
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { portContinuation.yield(port) }
                portContinuation.finish()
            },
            logger: logger
        )
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let running = Task { try await services.run() }

        guard let port = await ports.first(within: timeout) else {
            running.cancel()
            throw BenchError.startFailed("receiver", "no listening port within \(timeout)")
        }
        return Receiver(url: "http://127.0.0.1:\(port)/hook", log: log, services: services, running: running)
    }

    /// Shuts the server down gracefully and waits for it to close.
    func stop() async {
        await services.triggerGracefulShutdown()
        _ = await running.result
    }
}
