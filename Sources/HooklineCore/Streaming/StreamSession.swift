import Foundation

/// One client's stream: a replay from the store after its last id, then the live feed, with no gap
/// and no duplicate, heartbeats while idle, and a final `cutOff` when it falls behind.
public struct StreamSession<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// The live feed and the store behind it.
    let broadcaster: Broadcaster<Store, Clock>
    /// Which events the client wants.
    let filter: StreamFilter
    /// Where the client resumes; `nil` starts live.
    let lastEventId: Int64?

    /// Creates a session; `lastEventId` is the client's `Last-Event-ID`, `nil` for a fresh start (live only).
    public init(broadcaster: Broadcaster<Store, Clock>, filter: StreamFilter, lastEventId: Int64?) {
        self.broadcaster = broadcaster
        self.filter = filter
        self.lastEventId = lastEventId
    }

    /// Registers the live feed first, so that nothing committed from now on is missed.
    public func open() async throws -> StreamSubscription {
        try await broadcaster.subscribe(filter)
    }

    /// Sends frames to `emit` until the client goes away (`emit` throws), it is cut off, or the feed closes.
    public func run(_ subscription: StreamSubscription, emit: (StreamFrame) async throws -> Void) async throws {
        defer { subscription.cancel() }
        let configuration = broadcaster.configuration
        try await emit(.retry(milliseconds: Int64(configuration.retryHint.timeInterval * 1000)))
        var lastSent = try await replay(upTo: subscription.startCursor, emit: emit)
        let clock = broadcaster.clock
        while !Task.isCancelled {
            switch await subscription.next(until: clock.now().adding(configuration.heartbeat), on: clock) {
            case .events(let events):
                for event in events where event.id > lastSent {
                    try await emit(.event(event))
                    lastSent = event.id
                }
            case .idle:
                try await emit(.heartbeat)
            case .overflow:
                try await emit(.cutOff(resumeFrom: lastSent))
                return
            case .closed:
                return
            }
        }
    }

    /// Sends the kept events in `(lastEventId, cursor]` that match; returns the id the live feed continues after.
    private func replay(upTo cursor: Int64, emit: (StreamFrame) async throws -> Void) async throws -> Int64 {
        guard let lastEventId else { return cursor }
        let store = broadcaster.store
        let bounds = try await store.eventLogBounds()
        if lastEventId > bounds.lastId { return max(cursor, bounds.lastId) }  // an id this log never issued: go live
        if bounds.hasPruned(after: lastEventId) {
            try await emit(.gap(requested: lastEventId, oldestKept: bounds.firstId))
        }
        var position = lastEventId
        let batch = broadcaster.configuration.batchSize
        while position < cursor {
            let events = try await store.events(after: position, limit: batch)
            for event in events where event.id <= cursor && filter.matches(event) {
                try await emit(.event(event))
            }
            guard let last = events.last else { break }
            position = last.id
            if events.count < batch { break }
        }
        return max(lastEventId, cursor)
    }
}
