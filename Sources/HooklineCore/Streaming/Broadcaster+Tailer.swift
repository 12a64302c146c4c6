import Foundation

extension Broadcaster {
    /// Subscriptions currently fed.
    public var subscriberCount: Int { state.withLock { $0.subscriptions.count } }
    /// Reads of the log so far: one per batch, however many clients watch.
    public var upstreamReads: Int { state.withLock { $0.reads } }
    /// Clients cut off for being too slow so far.
    public var cutOffs: Int { state.withLock { $0.cutOffs } }
    /// The id of the last event dispatched, or `nil` while nobody watches.
    public var position: Int64? { state.withLock { $0.cursor } }

    /// Reads one batch after the cursor and dispatches it; returns whether more may be waiting.
    func tailOnce() async -> Bool {
        guard let cursor = state.withLock({ $0.cursor }) else { return false }
        let events: [StreamEvent]
        do {
            events = try await store.events(after: cursor, limit: configuration.batchSize)
        } catch {
            logger.warning("reading the event log failed", metadata: ["error": "\(error)"])
            return false
        }
        let woken = dispatch(events)
        for subscription in woken { subscription.wake() }
        activity.signal()
        return events.count == configuration.batchSize
    }

    /// Offers each new event to matching subscriptions and advances the cursor, in one critical section,
    /// so a subscription registered meanwhile sees exactly the events after its `startCursor`.
    private func dispatch(_ events: [StreamEvent]) -> [StreamSubscription] {
        state.withLock { state -> [StreamSubscription] in
            state.reads += 1
            guard let cursor = state.cursor else { return [] }
            var woken: [UInt64: StreamSubscription] = [:]
            var dropped: [UInt64: StreamSubscription] = [:]
            for event in events where event.id > cursor {
                for subscription in state.subscriptions.values where subscription.filter.matches(event) {
                    if dropped[subscription.id] != nil { continue }
                    if !subscription.offer(event) { dropped[subscription.id] = subscription }
                    woken[subscription.id] = subscription
                }
                state.cursor = event.id
            }
            for id in dropped.keys { state.subscriptions.removeValue(forKey: id) }
            if !dropped.isEmpty {
                state.cutOffs += dropped.count
                connections.record(state.subscriptions.count)
            }
            return Array(woken.values)
        }
    }
}
