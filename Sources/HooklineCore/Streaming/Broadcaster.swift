import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Fans the durable event log out to stream clients through ONE shared upstream.
///
/// A single tailer reads the events committed after its cursor whenever `changed` is raised (after
/// every commit) or every `pollInterval`, and offers each to the subscriptions whose filter matches.
/// It runs only while someone watches; with no subscriber it waits and reads nothing.
package final class Broadcaster<Store: HooklineStore, Clock: HooklineClock>: Service, Sendable {
    /// How the broadcaster feeds its clients.
    package struct Configuration: Sendable {
        /// Events a client may have waiting before it is cut off.
        package var bufferSize: Int
        /// Events read from the log per query.
        package var batchSize: Int
        /// How often the log is read when nothing signals, while someone watches (a safety net).
        package var pollInterval: Duration
        /// How often an idle stream gets a comment line, so proxies keep it open.
        package var heartbeat: Duration
        /// The reconnection delay suggested to clients (`retry:`).
        package var retryHint: Duration

        /// Creates a configuration; defaults: 1024 buffered events, batches of 256, 1 s poll, 15 s heartbeat, 2 s retry.
        ///
        /// Keep `bufferSize` well above `batchSize`: one dispatch may add a whole batch to a buffer.
        package init(
            bufferSize: Int = 1024, batchSize: Int = 256, pollInterval: Duration = .seconds(1), heartbeat: Duration = .seconds(15),
            retryHint: Duration = .seconds(2)
        ) {
            self.bufferSize = bufferSize
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.heartbeat = heartbeat
            self.retryHint = retryHint
        }
    }

    /// The subscriptions, the tailer cursor (`nil` while nobody watches) and counters.
    struct State {
        var subscriptions: [UInt64: StreamSubscription] = [:]
        var cursor: Int64?
        var nextId: UInt64 = 0
        var tailing = false
        var reads = 0
        var cutOffs = 0
        var stopped = false
    }

    /// How the broadcaster feeds its clients.
    package let configuration: Configuration
    /// The store whose event log is tailed.
    let store: Store
    /// The clock for heartbeats and polling.
    package let clock: Clock
    /// Where read failures are logged.
    let logger: Logger
    /// Everything that changes, behind one lock.
    let state = Mutex(State())
    /// Raise after a commit that appended events; the tailer reads them.
    package let changed = WakeSignal()
    /// Raised when a client subscribes, to start the tailer.
    let watchers = WakeSignal()
    /// Raised when a client subscribes, leaves or is cut off, and after each batch the tailer dispatches: a
    /// signal for tests (and tools) to wait on instead of polling `subscriberCount`, `cutOffs` or `position`.
    package let activity = WakeSignal()
    /// `hookline_sse_connections`: open streams.
    let connections = Gauge(label: "hookline_sse_connections")

    /// Creates a broadcaster over `store`.
    package init(configuration: Configuration = .init(), store: Store, clock: Clock, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Registers a live feed for `filter`; events committed after `startCursor` arrive in it.
    package func subscribe(_ filter: StreamFilter) async throws -> StreamSubscription {
        var latest: Int64?
        if state.withLock({ $0.cursor == nil }) {
            latest = try await store.eventLogBounds().lastId
        }
        let subscription = try state.withLock { state -> StreamSubscription in
            guard !state.stopped else { throw HooklineError(.unavailable, "Hookline is shutting down") }
            if state.cursor == nil { state.cursor = latest ?? 0 }
            state.nextId += 1
            let subscription = StreamSubscription(
                id: state.nextId, filter: filter, startCursor: state.cursor ?? 0, capacity: configuration.bufferSize
            ) { [weak self] id in self?.unsubscribe(id) }
            state.subscriptions[subscription.id] = subscription
            connections.record(state.subscriptions.count)
            return subscription
        }
        watchers.signal()
        activity.signal()
        return subscription
    }

    /// Removes a subscription (its client left).
    func unsubscribe(_ id: UInt64) {
        state.withLock { state in
            guard state.subscriptions.removeValue(forKey: id) != nil else { return }
            connections.record(state.subscriptions.count)
        }
        activity.signal()
    }

    /// Tails the log while someone watches, until shutdown; then closes every subscription.
    package func run() async {
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                if !hasSubscribers() {
                    await watchers.wait()
                    continue
                }
                let more = await tailOnce()
                if more {
                    await Task.yield()  // let the streams drain their buffers between batches
                } else {
                    await changed.wait(until: clock.now().adding(configuration.pollInterval), on: clock)
                }
            }
        }
        let open = state.withLock { state -> [StreamSubscription] in
            state.stopped = true
            defer { state.subscriptions.removeAll() }
            return Array(state.subscriptions.values)
        }
        for subscription in open { subscription.close() }
    }

    private func hasSubscribers() -> Bool {
        state.withLock { state in
            if state.subscriptions.isEmpty { state.cursor = nil }
            return !state.subscriptions.isEmpty
        }
    }
}

extension Broadcaster {
    /// Subscriptions currently fed.
    package var subscriberCount: Int { state.withLock { $0.subscriptions.count } }
    /// Reads of the log so far: one per batch, however many clients watch.
    package var upstreamReads: Int { state.withLock { $0.reads } }
    /// Clients cut off for being too slow so far.
    package var cutOffs: Int { state.withLock { $0.cutOffs } }
    /// The id of the last event dispatched, or `nil` while nobody watches.
    package var position: Int64? { state.withLock { $0.cursor } }

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
