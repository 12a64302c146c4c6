import Synchronization

/// Counts in-flight work against a capacity, and lets a caller wait for free slots or for idleness.
final class SlotCounter: Sendable {
    private struct State {
        var inFlight = 0
        /// The free count a waiter needs before a release wakes it.
        var wanted = 1
    }

    private let capacity: Int
    private let state = Mutex(State())
    private let freed = WakeSignal()

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Slots not in use.
    var free: Int { capacity - state.withLock { $0.inFlight } }

    /// Slots in use.
    var inFlight: Int { state.withLock { $0.inFlight } }

    /// Takes one slot.
    func take() { state.withLock { $0.inFlight += 1 } }

    /// Takes up to `count` free slots at once, leaving at least `reserve` free, and returns how many it took.
    func take(upTo count: Int, leaving reserve: Int = 0) -> Int {
        state.withLock { state in
            let taken = max(0, min(count, capacity - state.inFlight - reserve))
            state.inFlight += taken
            return taken
        }
    }

    /// Returns `count` slots; wakes the waiter once enough are free (or nothing is in flight).
    func release(_ count: Int = 1) {
        let wake = state.withLock { state -> Bool in
            state.inFlight -= count
            return capacity - state.inFlight >= state.wanted || state.inFlight == 0
        }
        if wake { freed.signal() }
    }

    /// Wakes waiters so they re-check their condition.
    func wakeWaiters() { freed.signal() }

    /// Waits until at least `count` slots are free (or nothing is in flight), or `wakeWaiters()` is called.
    func waitForFree(atLeast count: Int = 1) async {
        let satisfied = state.withLock { state -> Bool in
            state.wanted = max(1, min(count, capacity))
            return capacity - state.inFlight >= state.wanted || state.inFlight == 0
        }
        if !satisfied { await freed.wait() }
        state.withLock { $0.wanted = 1 }
    }

    /// Waits until no slot is in use.
    func waitUntilIdle() async {
        while inFlight > 0 && !Task.isCancelled {
            await freed.wait()
        }
    }
}
