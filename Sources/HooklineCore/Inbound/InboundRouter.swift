import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Phase two of the inbound gateway: turns stored requests into messages of their source's application.
///
/// Woken after every inbound commit (and on replay), it reads pending requests in batches, routes
/// each to the application's endpoints, and records message, deliveries and the request's `routed`
/// mark in one transaction, so a crash at any point neither loses nor doubles a request. After each
/// batch the delivery engine is woken.
package struct InboundRouter<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// How the router works.
    package struct Configuration: Sendable {
        /// The most requests routed per transaction.
        package var batchSize: Int
        /// How long to sleep when nothing signals (a safety net).
        package var idlePollInterval: Duration

        /// Creates a configuration; defaults: batches of 200, 5 s idle poll.
        package init(batchSize: Int = 200, idlePollInterval: Duration = .seconds(5)) {
            self.batchSize = batchSize
            self.idlePollInterval = idlePollInterval
        }
    }

    /// Batch size and idle poll.
    let configuration: Configuration
    /// Where requests and messages live.
    let store: Store
    /// Stamps routing and bounds idle waits.
    let clock: Clock
    /// Raised after inbound commits and replays.
    let wake: WakeSignal
    /// Raised after each batch to wake the delivery engine.
    let deliveries: WakeSignal
    /// Where failures are reported.
    let logger: Logger
    /// Stamps, routes and schedules the message a request becomes.
    let intake = MessageIntake()
    /// Counts routed requests.
    let metrics = InboundMetrics()
    /// Counts the messages and deliveries created.
    let messageMetrics = HooklineMetrics()

    /// Creates a router woken by `wake` that raises `deliveries` after each batch.
    package init(configuration: Configuration = .init(), store: Store, clock: Clock, wake: WakeSignal, deliveries: WakeSignal, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.wake = wake
        self.deliveries = deliveries
        self.logger = logger
    }

    /// Routes until graceful shutdown (between batches) or cancellation.
    package func run() async {
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            while !stopping.isRaised && !Task.isCancelled {
                var routed = 0
                do {
                    routed = try await routeBatch()
                } catch {
                    logger.error("routing inbound requests failed", metadata: ["error": "\(error)"])
                }
                if stopping.isRaised { break }
                if routed < configuration.batchSize {
                    await wake.wait(until: clock.now().adding(configuration.idlePollInterval), on: clock)
                }
            }
        } onGracefulShutdown: {
            stopping.raise()
            wake.signal()
        }
    }

    /// Routes one batch of pending requests; returns how many were read.
    package func routeBatch() async throws -> Int {
        let pending = try await store.pendingInboundRequests(limit: configuration.batchSize)
        guard !pending.isEmpty else { return 0 }
        let now = clock.now()
        var sources: [String: Source?] = [:]
        var targets: [String: (Application, [Endpoint])?] = [:]
        var routings: [InboundRouting] = []
        for record in pending {
            if sources[record.sourceId] == nil { sources[record.sourceId] = .some(try await store.source(record.sourceId)) }
            guard let source = sources[record.sourceId] ?? nil else {
                routings.append(.failed(record.id, reason: "source not found", now: now))
                continue
            }
            if targets[source.appId] == nil {
                var found: (Application, [Endpoint])?
                if let application = try await store.application(source.appId) {
                    found = (application, try await store.allEndpoints(appId: application.id))
                }
                targets[source.appId] = .some(found)
            }
            guard let (application, endpoints) = targets[source.appId] ?? nil else {
                routings.append(.failed(record.id, reason: "application not found", now: now))
                continue
            }
            let item = intake.admit(makeParts(record, source: source), to: application, endpoints: endpoints, now: now)
            routings.append(.routed(record.id, as: item, now: now))
        }
        try await store.routeInboundRequests(routings)
        let routed = routings.compactMap(\.message)
        metrics.routed.increment(by: routed.count)
        for item in routed { messageMetrics.recordCreated(item) }
        deliveries.signal()
        return pending.count
    }
}

extension InboundRouter {
    /// The parts of the message a stored request becomes: its body byte for byte as the payload, the
    /// provider's content type, the derived event type and correlation id, tagged with the source id and
    /// accepted when the request was received. `MessageIntake` stamps, routes and schedules them.
    func makeParts(_ record: InboundRecord, source: Source) -> MessageParts {
        let request = record.request
        let needsJSON = source.effectiveEventType?.kind == .json || source.correlationId?.kind == .json
        let json = needsJSON ? try? JSONDecoder().decode(JSONValue.self, from: record.body) : nil
        let correlation = source.correlationId?.extract(from: request, json: json).map { String($0.prefix(256)) }
        return MessageParts(
            eventType: source.eventType(for: request, json: json), payload: record.body, tags: [source.id],
            contentType: request.contentType ?? "application/octet-stream", correlationId: correlation, acceptedAt: record.receivedAt)
    }
}

/// The inbound gateway's metrics.
package struct InboundMetrics: Sendable {
    /// Requests acknowledged and stored for routing.
    package let accepted = Counter(label: "hookline_inbound_requests_total", dimensions: [("result", "accepted")])
    /// Requests acknowledged as repeats of an event id within the window.
    package let duplicates = Counter(label: "hookline_inbound_requests_total", dimensions: [("result", "duplicate")])
    /// Requests whose signature or credential did not verify.
    package let verificationFailures = Counter(label: "hookline_inbound_verification_failures_total")
    /// Stored requests turned into messages.
    package let routed = Counter(label: "hookline_inbound_routed_total")

    /// Creates the metric handles.
    package init() {}
}
