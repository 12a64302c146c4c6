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
            logger.debug("operational webhooks: starting at the end of the event log", metadata: ["event": "\(start)"])
            return true
        }
        let events = try await store.events(after: cursor, limit: configuration.batchSize)
        guard let last = events.last else { return false }
        if events.first.map({ $0.id > cursor + 1 }) == true, try await store.eventLogBounds().hasPruned(after: cursor) {
            logger.warning("operational webhooks: events were pruned before they were forwarded", metadata: ["after": "\(cursor)"])
        }
        var batch: [NewMessage] = []
        for event in events where event.draft.appId != applicationId {
            if let message = try await message(for: event, applicationId: applicationId, now: now) { batch.append(message) }
        }
        if !batch.isEmpty {
            _ = try await store.insertMessages(batch)
            deliveries.signal()
            logger.debug("operational webhooks: enqueued", metadata: ["count": "\(batch.count)"])
        }
        try await store.saveCheckpoint(named: Self.checkpointName, value: last.id, now: now)
        return events.count >= configuration.batchSize
    }

    /// The operational message for `event`, routed to the operational application's endpoints; `nil` for other kinds.
    func message(for event: StreamEvent, applicationId: String, now: Date) async throws -> NewMessage? {
        guard EventKind.operational.contains(event.kind), let appId = event.draft.appId else { return nil }
        let appUid = try await store.application(appId)?.uid
        let endpointUid = try await event.draft.endpointId.asyncMap { try await store.endpoint(appId: appId, idOrUid: $0)?.uid } ?? nil
        guard let body = OperationalPayload.body(for: event, appUid: appUid, endpointUid: endpointUid) else { return nil }
        let message = Message(
            id: Identifier.make(.message, at: now), appId: applicationId, eventType: event.kind.rawValue, eventId: "op-\(event.id)",
            payload: try body.canonicalData(), channels: nil, tags: nil, createdAt: now)
        let endpoints = try await store.allEndpoints(appId: applicationId)
        let targets = router.route(eventType: message.eventType, channels: nil, payload: message.payload, to: endpoints)
        let skipped = router.skipped(eventType: message.eventType, channels: nil, payload: message.payload, among: endpoints)
        return NewMessage(message: message, endpointIds: targets.map(\.id), deliverAt: now, skippedEndpointIds: skipped.map(\.id))
    }
}

extension Optional {
    /// `map` with an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
