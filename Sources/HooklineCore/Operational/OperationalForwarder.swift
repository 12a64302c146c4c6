import Foundation
import Logging
import ServiceLifecycle

/// Posts operational events (`message.attempt.exhausted|failing|recovered`, `endpoint.disabled|enabled`)
/// to an operational webhook URL by tailing the durable event log.
///
/// The target is an internal application (uid `hookline-operational`) with one endpoint at the
/// configured URL, created or updated at start-up; each operational event becomes a message of it, so
/// it is signed, retried, recorded and recoverable like any delivery. The last event id handled is a
/// durable checkpoint saved after each batch; the message's event id (`op-<event id>`) makes a batch
/// replayed after a crash a no-op, so every event is posted at least once and enqueued once. Events
/// about the operational application itself are ignored, so its own failures never loop. The delivery
/// hot path is untouched: this service reads the log after the fact.
package struct OperationalForwarder<Store: HooklineStore, Clock: HooklineClock>: Service {
    /// Where operational webhooks go and how the log is tailed.
    package struct Configuration: Sendable {
        /// The operational webhook URL (it must pass the delivery network policy, e.g. `--allow-network` for private hosts).
        package var url: String
        /// The secret operational webhooks are signed with.
        package var secret: EndpointSecret
        /// The uid of the internal application holding the operational endpoint.
        package var applicationUid: String
        /// The uid of the operational endpoint within it.
        package var endpointUid: String
        /// The most events read per batch.
        package var batchSize: Int
        /// How long to sleep when nothing signals (a safety net; API changes raise no signal).
        package var idlePollInterval: Duration
        /// Who this node is when it leases the forwarding, so one node of a cluster forwards.
        package var leaseHolder: String
        /// How long the forwarding lease lasts without a batch renewing it.
        package var leaseDuration: Duration

        /// Creates a configuration; defaults: app uid `hookline-operational`, endpoint uid `operational`, batches of 256,
        /// 1 s idle poll, this process as holder, 30 s lease.
        package init(
            url: String, secret: EndpointSecret, applicationUid: String = "hookline-operational", endpointUid: String = "operational",
            batchSize: Int = 256, idlePollInterval: Duration = .seconds(1), leaseHolder: String = ClusterLease.processHolder,
            leaseDuration: Duration = .seconds(30)
        ) {
            self.url = url
            self.secret = secret
            self.applicationUid = applicationUid
            self.endpointUid = endpointUid
            self.batchSize = batchSize
            self.idlePollInterval = idlePollInterval
            self.leaseHolder = leaseHolder
            self.leaseDuration = leaseDuration
        }
    }

    /// The name of the checkpoint holding the last event id handled.
    package static var checkpointName: String { "operational-webhooks" }

    /// Target, batch size and lease.
    let configuration: Configuration
    /// Where the event log, the checkpoint and the operational messages live.
    let store: Store
    /// Stamps messages and bounds idle waits.
    let clock: Clock
    /// Raised after commits; the forwarder reads the log when it is.
    package let changed = WakeSignal()
    /// Raised after operational messages are committed, to wake the delivery engine.
    let deliveries: WakeSignal
    /// Raised after each checkpoint save (the first one places the forwarder at the end of the log): a signal
    /// for tests to wait on before reading the checkpoint.
    package let checkpointed = WakeSignal()
    /// Stamps operational messages and routes them to the operational application's endpoints.
    let intake = MessageIntake()
    /// Counts the operational messages and deliveries created.
    let metrics = HooklineMetrics()
    /// Where failures are reported (never the secret).
    let logger: Logger

    /// Creates a forwarder that raises `deliveries` after it enqueues messages; forward commits to `changed`.
    package init(configuration: Configuration, store: Store, clock: Clock, deliveries: WakeSignal, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.deliveries = deliveries
        self.logger = logger
    }

    /// Runs until graceful shutdown (between batches) or cancellation.
    package func run() async {
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            var applicationId: String?
            while !stopping.isRaised && !Task.isCancelled {
                var more = false
                do {
                    if applicationId == nil { applicationId = try await prepareTarget() }
                    if let applicationId { more = try await forwardBatch(applicationId: applicationId) }
                } catch {
                    logger.error("operational webhooks: forwarding failed", metadata: ["error": "\(error)"])
                }
                if more || stopping.isRaised { continue }
                await changed.wait(until: clock.now().adding(configuration.idlePollInterval), on: clock)
            }
        } onGracefulShutdown: {
            stopping.raise()
            changed.signal()
        }
    }
}

extension OperationalForwarder {
    /// Forwards the operational events of one batch after the checkpoint; returns whether a full batch was read.
    ///
    /// Without a checkpoint (first run) forwarding starts at the end of the log: history is not replayed.
    func forwardBatch(applicationId: String) async throws -> Bool {
        let now = clock.now()
        let lease = ClusterLease(
            name: Self.checkpointName, holder: configuration.leaseHolder, now: now, until: now.adding(configuration.leaseDuration))
        guard try await store.acquireLease(lease) else { return false }
        guard let cursor = try await store.checkpoint(named: Self.checkpointName) else {
            let start = try await store.eventLogBounds().lastId
            try await store.saveCheckpoint(named: Self.checkpointName, value: start, now: now)
            checkpointed.signal()
            logger.debug("operational webhooks: starting at the end of the event log", metadata: ["event": "\(start)"])
            return true
        }
        let events = try await store.events(after: cursor, limit: configuration.batchSize)
        guard let last = events.last else { return false }
        if events.first.map({ $0.id > cursor + 1 }) == true, try await store.eventLogBounds().hasPruned(after: cursor) {
            logger.warning("operational webhooks: events were pruned before they were forwarded", metadata: ["after": "\(cursor)"])
        }
        var batch: [NewMessage] = []
        let forwarded = events.filter { $0.draft.appId != applicationId && EventKind.operational.contains($0.kind) }
        if !forwarded.isEmpty {
            guard let application = try await store.application(applicationId) else {
                throw HooklineError.notFound("operational application")
            }
            let endpoints = try await store.allEndpoints(appId: application.id)
            for event in forwarded {
                guard let parts = try await parts(for: event) else { continue }
                batch.append(intake.admit(parts, to: application, endpoints: endpoints, now: now))
            }
        }
        if !batch.isEmpty {
            let outcomes = try await store.insertMessages(batch)
            metrics.recordCreated(batch, outcomes: outcomes)
            deliveries.signal()
            logger.debug("operational webhooks: enqueued", metadata: ["count": "\(batch.count)"])
        }
        try await store.saveCheckpoint(named: Self.checkpointName, value: last.id, now: now)
        checkpointed.signal()
        return events.count >= configuration.batchSize
    }

    /// The parts of the operational message for `event` (its kind as the event type, `op-<event id>` as the
    /// event id, so a replayed batch inserts nothing twice); `nil` for other kinds.
    func parts(for event: StreamEvent) async throws -> MessageParts? {
        guard EventKind.operational.contains(event.kind), let appId = event.draft.appId else { return nil }
        let appUid = try await store.application(appId)?.uid
        let endpointUid = try await event.draft.endpointId.asyncMap { try await store.endpoint(appId: appId, idOrUid: $0)?.uid } ?? nil
        guard let body = OperationalPayload.body(for: event, appUid: appUid, endpointUid: endpointUid) else { return nil }
        return MessageParts(eventType: event.kind.rawValue, payload: try body.canonicalData(), eventId: "op-\(event.id)")
    }
}

extension Optional {
    /// `map` with an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension OperationalForwarder {
    /// Creates the internal operational application and its endpoint, or brings the endpoint's URL and secret
    /// up to date; returns the application id. An endpoint disabled by an operator stays disabled.
    func prepareTarget() async throws -> String {
        let now = clock.now()
        let application: Application
        if let existing = try await store.application(configuration.applicationUid) {
            application = existing
        } else {
            application = Application(
                id: Identifier.make(.application, at: now), uid: configuration.applicationUid, name: "Hookline operational webhooks",
                metadata: ["hookline": "operational"], throttleRate: nil, createdAt: now, updatedAt: now)
            try await store.insertApplication(application)
        }
        if var endpoint = try await store.endpoint(appId: application.id, idOrUid: configuration.endpointUid) {
            guard endpoint.url != configuration.url || endpoint.secret != configuration.secret else { return application.id }
            endpoint.url = configuration.url
            endpoint.secret = configuration.secret
            endpoint.updatedAt = now
            try await store.updateEndpoint(endpoint)
        } else {
            let endpoint = Endpoint(
                id: Identifier.make(.endpoint, at: now), appId: application.id, uid: configuration.endpointUid, url: configuration.url,
                description: "Operational webhooks of this Hookline server", eventTypes: nil, channels: nil, disabled: false,
                secret: configuration.secret, metadata: [:], headers: [:], throttleRate: nil, createdAt: now, updatedAt: now)
            try await store.insertEndpoint(endpoint)
        }
        logger.debug("operational webhooks: endpoint ready", metadata: ["app": "\(application.id)"])
        return application.id
    }
}

/// Builds the body of an operational webhook from an event-log entry (pure logic), in the shape of
/// Svix's operational webhooks: `{"type", "timestamp", "data": {…}}`.
///
/// - `message.attempt.exhausted|failing|recovered`: `data` = `appId`, `appUid`, `endpointId`, `msgId`,
///   `msgEventId`, `lastAttempt {id, responseStatusCode, timestamp}`.
/// - `endpoint.disabled`: `appId`, `appUid`, `endpointId`, `endpointUid`, `failSince`, `trigger`
///   (`manual` through the API, else `automatic`).
/// - `endpoint.enabled`: `appId`, `appUid`, `endpointId`, `endpointUid`.
///
/// Absent uids and event ids are omitted; times are ISO 8601 in UTC with milliseconds.
package enum OperationalPayload {
    /// The body for `event`, or `nil` when it is not an operational kind or lacks its ids.
    package static func body(for event: StreamEvent, appUid: String?, endpointUid: String?) -> JSONValue? {
        let draft = event.draft
        guard EventKind.operational.contains(draft.kind), let appId = draft.appId, let endpointId = draft.endpointId else { return nil }
        var data: [String: JSONValue] = ["appId": .string(appId), "endpointId": .string(endpointId)]
        if let appUid { data["appUid"] = .string(appUid) }
        switch draft.kind {
        case .endpointDisabled, .endpointEnabled:
            if let endpointUid { data["endpointUid"] = .string(endpointUid) }
            if draft.kind == .endpointDisabled {
                data["trigger"] = .string(draft.details["reason"] == .string("api") ? "manual" : "automatic")
                if case .integer(let since) = draft.details["failSince"] {
                    data["failSince"] = .string(timestamp(Date(millisecondsSince1970: since)))
                }
            }
        default:
            guard let messageId = draft.messageId else { return nil }
            data["msgId"] = .string(messageId)
            if let eventId = draft.details["msgEventId"] { data["msgEventId"] = eventId }
            if case .object(var attempt) = draft.details["lastAttempt"] {
                if case .integer(let time) = attempt["timestamp"] {
                    attempt["timestamp"] = .string(timestamp(Date(millisecondsSince1970: time)))
                }
                data["lastAttempt"] = .object(attempt)
            }
        }
        return .object(["type": .string(draft.kind.rawValue), "timestamp": .string(timestamp(draft.createdAt)), "data": .object(data)])
    }

    /// `time` as ISO 8601 in UTC with milliseconds, e.g. `2024-01-02T03:04:05.678Z`.
    static func timestamp(_ time: Date) -> String {
        time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
