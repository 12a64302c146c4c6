import Foundation

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
