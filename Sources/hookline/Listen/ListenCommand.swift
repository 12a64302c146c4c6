import ArgumentParser
import Foundation
import HooklineCore
import Hummingbird
import Logging
import ServiceLifecycle

/// `hookline listen`: a local webhook receiver that prints every webhook and checks its signature.
struct ListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Receive webhooks locally: print each one and check its signature (a receiver to test your setup with).")
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0 picks a free one).") var port = 9000
    @Option(help: "The endpoint's signing secret (whsec_…): webhooks whose signature does not match are answered 401.")
    var secret: String?
    @Option(help: "The status code to answer.") var status = 200
    @Option(help: "Exit after this many webhooks.") var count: Int?
    @Flag(help: "Print one JSON object per webhook.") var json = false

    func validate() throws {
        if let secret, StandardWebhooksVerifier.key(secret) == nil { throw ValidationError("--secret must be whsec_ followed by base64") }
        guard (100...599).contains(status) else { throw ValidationError("--status must be an HTTP status code (100-599)") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let (webhooks, received) = AsyncStream.makeStream(of: ReceivedWebhook.self)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        let (secret, status, host, port) = (secret, status, host, port)
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 64 << 20)
            let webhook = ReceivedWebhook(
                method: request.method.rawValue, path: request.uri.description,
                headers: request.headers.map { ($0.name.canonicalName, $0.value) }, body: Data(buffer: body), receivedAt: Date(), secret: secret)
            received.yield(webhook)
            return Response(status: .init(code: webhook.status(configured: status)))
        }
        for method in [HTTPRequest.Method.post, .put, .patch] {
            router.on("/", method: method, use: handler)
            router.on("**", method: method, use: handler)
        }
        var logger = Logger(label: "hookline-listen")
        logger.logLevel = .warning
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in listening.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer {
                    received.finish()
                    listening.finish()
                }
                do {
                    try await group.run()
                } catch {
                    throw CLIError("cannot listen on \(host):\(port): \(error)")
                }
            }
            var iterator = ports.makeAsyncIterator()
            if let bound = await iterator.next() {
                let address = host.contains(":") ? "[\(host)]" : host
                Console.out("listening on http://\(address):\(bound) (answering \(status)\(secret == nil ? "" : ", checking signatures"))")
            }
            var printed = 0
            for await webhook in webhooks {
                Console.out(json ? ((try? webhook.json.canonicalData()).map { String(decoding: $0, as: UTF8.self) } ?? "") : webhook.line)
                printed += 1
                if let count, printed >= count { break }
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// One webhook `hookline listen` received: what arrived, whether its signature matched, and how it is printed.
struct ReceivedWebhook: Sendable {
    /// The request method.
    var method: String
    /// The request path and query.
    var path: String
    /// The request headers, names lowercased.
    var headers: [(String, String)]
    /// The raw body.
    var body: Data
    /// When it arrived.
    var receivedAt: Date
    /// The Standard Webhooks signature check: `skipped` without a secret.
    var signature: VerificationOutcome

    /// A received request; its signature is checked against `secret` when one is given.
    init(method: String, path: String, headers: [(String, String)], body: Data, receivedAt: Date, secret: String?) {
        self.method = method
        self.path = path
        self.headers = headers.map { ($0.0.lowercased(), $0.1) }
        self.body = body
        self.receivedAt = receivedAt
        let request = InboundHTTPRequest(headers: self.headers, body: body)
        signature = secret.map { StandardWebhooksVerifier().verify(request, secrets: [$0], now: receivedAt) } ?? .skipped
    }

    /// The status to answer: `configured`, or 401 when the signature does not match.
    func status(configured: Int) -> Int {
        signature.isAccepted ? configured : 401
    }

    /// The value of header `name` (lowercase).
    func header(_ name: String) -> String? {
        headers.first { $0.0 == name }?.1
    }

    /// What the signature check says, for people.
    var signatureText: String {
        switch signature {
        case .verified: "signature ok"
        case .skipped: "signature not checked (pass --secret)"
        case .failed(let reason): "SIGNATURE INVALID: \(reason)"
        }
    }

    /// One line: time, method and path, webhook id, signature, then the body.
    var line: String {
        let time = receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)).dropFirst(11).prefix(12)
        let id = header("webhook-id") ?? header("svix-id") ?? "-"
        let text = String(decoding: body.prefix(4096), as: UTF8.self) + (body.count > 4096 ? "…" : "")
        return "\(time) \(method) \(path) \(id) \(signatureText) \(text)"
    }

    /// One JSON object: method, path, id, signature, headers and the body (as JSON when it is JSON).
    var json: JSONValue {
        let payload = (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .string(String(decoding: body, as: UTF8.self))
        var object: [String: JSONValue] = [
            "receivedAt": .string(receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            "method": .string(method), "path": .string(path), "signature": .string(signature.label),
            "headers": .object(Dictionary(headers.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { first, _ in first })),
            "body": payload,
        ]
        if let id = header("webhook-id") ?? header("svix-id") { object["webhookId"] = .string(id) }
        if let reason = signature.reason { object["reason"] = .string(reason) }
        return .object(object)
    }
}
