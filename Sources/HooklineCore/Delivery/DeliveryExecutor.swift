import Foundation
import Logging

/// Sends one signed delivery request and reports what came back.
package protocol DeliveryTransport: Sendable {
    /// Sends `request`; never throws: failures are described in the response.
    func send(_ request: OutboundRequest) async -> TransportResponse
}

/// An HTTP POST to a subscriber endpoint.
package struct OutboundRequest: Sendable {
    /// The endpoint URL.
    package var url: String
    /// Header fields, in order.
    package var headers: [(name: String, value: String)]
    /// The exact body bytes that were signed.
    package var body: Data
    /// The deadline for the whole exchange.
    package var timeout: Duration

    /// Creates a request.
    package init(url: String, headers: [(name: String, value: String)], body: Data, timeout: Duration) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// What a delivery request produced.
package struct TransportResponse: Sendable {
    /// The HTTP status, or `nil` when no response arrived.
    package var statusCode: Int?
    /// The response body (capped), or a description of the network error.
    package var body: String
    /// The raw `Retry-After` header, if any.
    package var retryAfter: String?
    /// Whether the exchange hit its deadline.
    package var timedOut: Bool
    /// Whether the network policy refused the address before anything was sent (the body says why).
    package var refused: Bool

    /// Creates a response description.
    package init(statusCode: Int?, body: String, retryAfter: String? = nil, timedOut: Bool = false, refused: Bool = false) {
        self.statusCode = statusCode
        self.body = body
        self.retryAfter = retryAfter
        self.timedOut = timedOut
        self.refused = refused
    }

    /// Whether the receiver accepted the delivery (2xx only; redirects are failures).
    package var isSuccess: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}

/// Works one claimed delivery: signs it, sends it, and decides its next state.
package struct DeliveryExecutor<Transport: DeliveryTransport, Clock: HooklineClock>: Sendable {
    /// How deliveries are sent and retried.
    package struct Configuration: Sendable {
        /// When failed deliveries are retried.
        package var retryPolicy: RetryPolicy
        /// The deadline for one HTTP exchange.
        package var requestTimeout: Duration
        /// The `user-agent` sent with deliveries.
        package var userAgent: String
        /// When an endpoint that keeps failing is disabled.
        package var autoDisable: AutoDisablePolicy
        /// Where the retry jitter's random bits come from.
        package var random: RandomSource

        /// Creates a configuration; defaults: Svix's schedule, 15 s timeout, `Hookline/<version>`, auto-disable after 5 days,
        /// jitter from the system's generator.
        package init(
            retryPolicy: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(15),
            userAgent: String = "Hookline/\(HooklineVersion.current)", autoDisable: AutoDisablePolicy = AutoDisablePolicy(),
            random: RandomSource = .system
        ) {
            self.retryPolicy = retryPolicy
            self.requestTimeout = requestTimeout
            self.userAgent = userAgent
            self.autoDisable = autoDisable
            self.random = random
        }
    }

    let configuration: Configuration
    let transport: Transport
    let clock: Clock
    let signer = WebhookSigner()
    let metrics = HooklineMetrics()
    let logger: Logger

    /// Creates an executor.
    package init(configuration: Configuration, transport: Transport, clock: Clock, logger: Logger) {
        self.configuration = configuration
        self.transport = transport
        self.clock = clock
        self.logger = logger
    }

    /// Sends `claimed` once and returns the outcome to record.
    package func execute(_ claimed: ClaimedDelivery, trigger: AttemptTrigger = .scheduled) async -> DeliveryOutcome {
        let started = clock.now()
        guard let endpoint = claimed.endpoint, !endpoint.disabled else {
            let next: DeliveryOutcome.Next = claimed.endpoint == nil ? .canceled : .skipped
            metrics.record(next)
            return DeliveryOutcome(claimed: claimed, attempt: nil, next: next, now: started)
        }
        let request = makeRequest(claimed.message, endpoint: endpoint, at: started)
        let response = await transport.send(request)
        let finished = clock.now()
        let attempt = Attempt(
            id: Identifier.make(.attempt, at: started),
            messageId: claimed.message.id,
            endpointId: endpoint.id,
            appId: claimed.message.appId,
            url: endpoint.url,
            responseStatusCode: response.statusCode ?? 0,
            response: response.body,
            durationMs: max(0, Int(finished.timeIntervalSince(started) * 1000)),
            status: response.isSuccess ? .success : .fail,
            trigger: claimed.delivery.manual ? .manual : trigger,
            timestamp: started
        )
        let next = nextState(after: response, attempts: claimed.delivery.attempts + 1, now: finished)
        metrics.attemptDuration.recordInterval(finished.timeIntervalSince(started))
        metrics.record(next)
        if response.refused { metrics.deliveriesRefused.increment() }
        if next == .succeeded {
            metrics.endToEndLatency.recordInterval(finished.timeIntervalSince(claimed.message.createdAt))
        }
        logger.debug(
            "delivery attempted",
            metadata: [
                "msg": "\(claimed.message.id)", "endpoint": "\(endpoint.id)", "status": "\(attempt.responseStatusCode)",
                "next": "\(next)",
            ])
        return DeliveryOutcome(
            claimed: claimed, attempt: attempt, next: next, now: finished,
            disablesEndpoint: response.statusCode == 410, autoDisableAfter: next == .failed ? configuration.autoDisable.outcomeWindow : nil)
    }

    /// The signed request for `message` to `endpoint` at `time`.
    func makeRequest(_ message: Message, endpoint: Endpoint, at time: Date) -> OutboundRequest {
        let timestamp = Int64(time.timeIntervalSince1970)
        let signature = signer.signature(id: message.id, timestamp: timestamp, body: message.payload, secrets: endpoint.signingSecrets(at: time))
        var headers: [(name: String, value: String)] = endpoint.headers
            .filter { !reservedDeliveryHeaders.contains($0.key.lowercased()) }
            .sorted { $0.key < $1.key }
            .map { ($0.key, $0.value) }
        headers += [
            ("content-type", message.contentType ?? "application/json"),
            ("user-agent", configuration.userAgent),
            ("webhook-id", message.id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature),
            ("svix-id", message.id),
            ("svix-timestamp", String(timestamp)),
            ("svix-signature", signature),
        ]
        return OutboundRequest(url: endpoint.url, headers: headers, body: message.payload, timeout: configuration.requestTimeout)
    }

    /// The state after an attempt that produced `response`, the `attempts`-th one.
    func nextState(after response: TransportResponse, attempts: Int, now: Date) -> DeliveryOutcome.Next {
        if response.isSuccess { return .succeeded }
        if response.statusCode == 410 { return .failed }
        let hint = RetryHint(
            retryAfter: response.retryAfter.flatMap { RetryAfter.parse($0, now: now) },
            overloaded: response.timedOut || response.statusCode == 429
        )
        var generator = configuration.random.generator()
        guard let delay = configuration.retryPolicy.delay(afterAttempts: attempts, hint: hint, using: &generator) else {
            return .failed
        }
        return .retry(at: now.adding(delay))
    }
}

/// Headers Hookline sets itself; an endpoint's custom headers cannot override them.
private let reservedDeliveryHeaders: Set<String> = [
    "webhook-id", "webhook-timestamp", "webhook-signature", "svix-id", "svix-timestamp", "svix-signature",
    "content-type", "user-agent", "content-length", "host",
]
