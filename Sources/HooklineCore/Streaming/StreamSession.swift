import Foundation
import Synchronization

/// One client's stream: a replay from the store after its last id, then the live feed, with no gap
/// and no duplicate, heartbeats while idle, and a final `cutOff` when it falls behind.
package struct StreamSession<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// The live feed and the store behind it.
    let broadcaster: Broadcaster<Store, Clock>
    /// Which events the client wants.
    let filter: StreamFilter
    /// Where the client resumes; `nil` starts live.
    let lastEventId: Int64?

    /// Creates a session; `lastEventId` is the client's `Last-Event-ID`, `nil` for a fresh start (live only).
    package init(broadcaster: Broadcaster<Store, Clock>, filter: StreamFilter, lastEventId: Int64?) {
        self.broadcaster = broadcaster
        self.filter = filter
        self.lastEventId = lastEventId
    }

    /// Registers the live feed first, so that nothing committed from now on is missed.
    package func open() async throws -> StreamSubscription {
        try await broadcaster.subscribe(filter)
    }

    /// Sends frames to `emit` until the client goes away (`emit` throws), it is cut off, or the feed closes; each call
    /// carries the frames of one batch (never empty), for the client's connection to take in one write.
    package func run(_ subscription: StreamSubscription, emit: ([StreamFrame]) async throws -> Void) async throws {
        defer { subscription.cancel() }
        let configuration = broadcaster.configuration
        try await emit([.retry(milliseconds: Int64(configuration.retryHint.timeInterval * 1000))])
        var lastSent = try await replay(upTo: subscription.startCursor, emit: emit)
        let clock = broadcaster.clock
        while !Task.isCancelled {
            switch await subscription.next(until: clock.now().adding(configuration.heartbeat), on: clock) {
            case .events(let events):
                let frames = events.filter { $0.id > lastSent }.map(StreamFrame.event)
                guard let last = events.last, !frames.isEmpty else { continue }
                try await emit(frames)
                lastSent = max(lastSent, last.id)
            case .idle:
                try await emit([.heartbeat])
            case .overflow:
                try await emit([.cutOff(resumeFrom: lastSent)])
                return
            case .closed:
                return
            }
        }
    }

    /// Sends the kept events in `(lastEventId, cursor]` that match; returns the id the live feed continues after.
    private func replay(upTo cursor: Int64, emit: ([StreamFrame]) async throws -> Void) async throws -> Int64 {
        guard let lastEventId else { return cursor }
        let store = broadcaster.store
        let bounds = try await store.eventLogBounds()
        if lastEventId > bounds.lastId { return max(cursor, bounds.lastId) }  // an id this log never issued: go live
        if bounds.hasPruned(after: lastEventId) {
            try await emit([.gap(requested: lastEventId, oldestKept: bounds.firstId)])
        }
        var position = lastEventId
        let batch = broadcaster.configuration.batchSize
        while position < cursor {
            let events = try await store.events(after: position, limit: batch)
            let frames = events.filter { $0.id <= cursor && filter.matches($0) }.map(StreamFrame.event)
            if !frames.isEmpty { try await emit(frames) }
            guard let last = events.last else { break }
            position = last.id
            if events.count < batch { break }
        }
        return max(lastEventId, cursor)
    }
}

/// One client's live feed from the `Broadcaster`: a bounded buffer of matching events.
///
/// When the buffer is full the subscription is cut off (it stops receiving) and the client is told to
/// resume from the last id it got; an idle subscription holds an empty buffer and nothing else.
package final class StreamSubscription: Sendable {
    /// What waiting for the feed produced.
    package enum Next: Sendable, Equatable {
        /// New events, in id order.
        case events([StreamEvent])
        /// Nothing arrived before the deadline.
        case idle
        /// The client fell too far behind; it was dropped from the feed.
        case overflow
        /// The broadcaster stopped.
        case closed
    }

    private struct State {
        var buffer: [StreamEvent] = []
        var overflowed = false
        var closed = false
    }

    /// The subscription's key in the broadcaster.
    package let id: UInt64
    /// Which events it receives.
    package let filter: StreamFilter
    /// The log position the broadcaster had dispatched when it registered: later events arrive live.
    package let startCursor: Int64
    private let capacity: Int
    private let state = Mutex(State())
    private let signal = WakeSignal()
    private let onCancel: @Sendable (UInt64) -> Void

    /// Creates a subscription; `onCancel` removes it from its broadcaster.
    init(id: UInt64, filter: StreamFilter, startCursor: Int64, capacity: Int, onCancel: @escaping @Sendable (UInt64) -> Void) {
        self.id = id
        self.filter = filter
        self.startCursor = startCursor
        self.capacity = capacity
        self.onCancel = onCancel
    }

    /// Buffers `event`; returns false (and marks the overflow) when the buffer is full.
    func offer(_ event: StreamEvent) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.overflowed, !state.closed else { return true }
            guard state.buffer.count < capacity else {
                state.overflowed = true
                state.buffer = []
                return false
            }
            state.buffer.append(event)
            return true
        }
        return accepted
    }

    /// Wakes the reader after a dispatch.
    func wake() { signal.signal() }

    /// Ends the feed: the reader gets `.closed` (broadcaster or server shutdown).
    package func close() {
        state.withLock { $0.closed = true }
        signal.signal()
    }

    /// Waits until events arrive, the feed ends, or `deadline` on `clock` passes.
    package func next(until deadline: Date, on clock: some HooklineClock) async -> Next {
        if let ready = take() { return ready }
        await signal.wait(until: deadline, on: clock)
        return take() ?? .idle
    }

    private func take() -> Next? {
        state.withLock { state -> Next? in
            if state.overflowed { return .overflow }
            if !state.buffer.isEmpty {
                defer { state.buffer = [] }
                return .events(state.buffer)
            }
            return state.closed ? .closed : nil
        }
    }

    /// Leaves the broadcaster; call when the client goes away.
    package func cancel() {
        onCancel(id)
    }
}

/// Which events a stream client wants; every set field must match, `nil` matches anything.
package struct StreamFilter: Sendable, Equatable {
    /// Events of this application only.
    package var appId: String?
    /// Events about messages of these event types.
    package var eventTypes: Set<String>?
    /// Events about messages on this channel.
    package var channel: String?
    /// Events about this endpoint.
    package var endpointId: String?
    /// Events about this message (the correlation id of a message's whole story).
    package var messageId: String?
    /// Events of these kinds.
    package var kinds: Set<EventKind>?

    /// Creates a filter; by default everything matches.
    package init(
        appId: String? = nil, eventTypes: Set<String>? = nil, channel: String? = nil, endpointId: String? = nil,
        messageId: String? = nil, kinds: Set<EventKind>? = nil
    ) {
        self.appId = appId
        self.eventTypes = eventTypes
        self.channel = channel
        self.endpointId = endpointId
        self.messageId = messageId
        self.kinds = kinds
    }

    /// Whether `event` passes the filter.
    package func matches(_ event: StreamEvent) -> Bool {
        let draft = event.draft
        if let kinds, !kinds.contains(draft.kind) { return false }
        if let appId, draft.appId != appId { return false }
        if let endpointId, draft.endpointId != endpointId { return false }
        if let messageId, draft.messageId != messageId { return false }
        if let eventTypes {
            guard let type = draft.eventType, eventTypes.contains(type) else { return false }
        }
        if let channel {
            guard draft.channels?.contains(channel) == true else { return false }
        }
        return true
    }
}

/// One thing a stream sends its client.
package enum StreamFrame: Sendable, Equatable {
    /// The reconnection delay hint, sent first.
    case retry(milliseconds: Int64)
    /// An event from the log.
    case event(StreamEvent)
    /// A comment that keeps an idle connection open.
    case heartbeat
    /// Events after `requested` were pruned; replay starts at `oldestKept` (or live when `nil`).
    case gap(requested: Int64, oldestKept: Int64?)
    /// The client was too slow; it must reconnect with `Last-Event-ID: resumeFrom`. The stream ends.
    case cutOff(resumeFrom: Int64)
}
