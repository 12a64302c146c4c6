import Synchronization

/// Counts in-flight work against a capacity, and lets a caller wait for a free slot or for idleness.
final class SlotCounter: Sendable {
    private let capacity: Int
    private let inFlight = Mutex(0)
    private let freed = WakeSignal()

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Slots not in use.
    var free: Int { capacity - inFlight.withLock { $0 } }

    /// Takes one slot.
    func take() { inFlight.withLock { $0 += 1 } }

    /// Takes up to `count` free slots at once and returns how many it took.
    func take(upTo count: Int) -> Int {
        inFlight.withLock { inFlight in
            let taken = max(0, min(count, capacity - inFlight))
            inFlight += taken
            return taken
        }
    }

    /// Returns `count` slots and wakes a waiter.
    func release(_ count: Int = 1) {
        inFlight.withLock { $0 -= count }
        freed.signal()
    }

    /// Wakes waiters so they re-check their condition.
    func wakeWaiters() { freed.signal() }

    /// Waits until some slot is released.
    func waitForFree() async { await freed.wait() }

    /// Waits until no slot is in use.
    func waitUntilIdle() async {
        while inFlight.withLock({ $0 }) > 0 && !Task.isCancelled {
            await freed.wait()
        }
    }
}
