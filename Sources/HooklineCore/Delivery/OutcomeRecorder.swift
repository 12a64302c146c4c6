import Foundation
import Logging
import Synchronization

/// Gathers delivery outcomes and records them in batches: one `CompletionPlan`, persisted in one transaction, per batch.
final class OutcomeRecorder<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    private struct State {
        var outcomes: [DeliveryOutcome] = []
        var closed = false
    }

    private let store: Store
    private let clock: Clock
    private let state = Mutex(State())
    private let signal = WakeSignal()
    private let onRecorded: @Sendable () -> Void
    private let logger: Logger

    init(store: Store, clock: Clock, logger: Logger, onRecorded: @escaping @Sendable () -> Void) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.onRecorded = onRecorded
    }

    /// Queues an outcome for the next batch.
    func submit(_ outcome: DeliveryOutcome) {
        state.withLock { $0.outcomes.append(outcome) }
        signal.signal()
    }

    /// Makes `run()` return once everything submitted is recorded.
    func close() {
        state.withLock { $0.closed = true }
        signal.signal()
    }

    /// Records batches until closed and drained, or cancelled.
    func run() async {
        while !Task.isCancelled {
            let (batch, closed) = state.withLock { state in
                defer { state.outcomes.removeAll(keepingCapacity: true) }
                return (state.outcomes, state.closed)
            }
            if batch.isEmpty {
                if closed { return }
                await signal.wait()
                continue
            }
            await record(batch)
        }
    }

    private func record(_ batch: [DeliveryOutcome]) async {
        // Everything but the guarded row updates is decided here, once, without I/O.
        let plan = CompletionPlan(batch)
        var failures = 0
        while true {
            do {
                try await store.completeDeliveries(plan)
                onRecorded()
                return
            } catch {
                failures += 1
                if failures <= 5 || failures % 30 == 0 {
                    logger.error("recording delivery outcomes failed", metadata: ["error": "\(error)", "count": "\(batch.count)"])
                }
                // Unrecorded outcomes are not lost: their leases expire and the deliveries run again. During an outage
                // they are kept until the store answers (unless shutting down): dropped, their rows would stay leased,
                // counted against their endpoint's cap, until the lease lapses, long after the database is back.
                let outage = (error as? HooklineError).map { $0.code == .unavailable || $0.code == .outcomeUnknown } ?? false
                let closed = state.withLock { $0.closed }
                if (failures >= 5 && (!outage || closed)) || Task.isCancelled { return }
                try? await clock.sleep(until: clock.now().adding(.milliseconds(100 * min(failures, 5))))
            }
        }
    }
}
