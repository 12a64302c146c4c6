import Foundation
import Synchronization

/// One client's live feed from the `Broadcaster`: a bounded buffer of matching events.
///
/// When the buffer is full the subscription is cut off (it stops receiving) and the client is told to
/// resume from the last id it got; an idle subscription holds an empty buffer and nothing else.
public final class StreamSubscription: Sendable {
    /// What waiting for the feed produced.
    public enum Next: Sendable, Equatable {
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
    public let id: UInt64
    /// Which events it receives.
    public let filter: StreamFilter
    /// The log position the broadcaster had dispatched when it registered: later events arrive live.
    public let startCursor: Int64
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
    public func close() {
        state.withLock { $0.closed = true }
        signal.signal()
    }

    /// Waits until events arrive, the feed ends, or `deadline` on `clock` passes.
    public func next(until deadline: Date, on clock: some HooklineClock) async -> Next {
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
    public func cancel() {
        onCancel(id)
    }
}
