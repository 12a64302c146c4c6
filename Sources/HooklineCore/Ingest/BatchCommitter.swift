import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A single writer that gathers concurrent items into one durable transaction (group commit),
/// for any item type: `write` commits a batch and returns one outcome per item, in order.
///
/// While a commit is in flight, new items queue; the next transaction takes them all (up to
/// `maxBatchSize`). Each caller resumes only after its item is on disk; `committed` (if any) is raised after
/// every commit.
package final class BatchCommitter<Item: Sendable, Outcome: Sendable>: Service {
    private struct Pending {
        var item: Item
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var closed = false
    }

    private let maxBatchSize: Int
    private let write: @Sendable ([Item]) async throws -> [Outcome]
    private let state = Mutex(State())
    private let arrived = WakeSignal()
    private let committed: WakeSignal?
    private let logger: Logger

    /// Creates a committer that commits with `write` and raises `committed` (if any) after each commit.
    package init(
        maxBatchSize: Int = 512, committed: WakeSignal?, logger: Logger, write: @escaping @Sendable ([Item]) async throws -> [Outcome]
    ) {
        self.maxBatchSize = maxBatchSize
        self.write = write
        self.committed = committed
        self.logger = logger
    }

    /// Commits `item` with the next batch and returns once it is durable.
    package func commit(_ item: Item) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state -> Bool in
                guard !state.closed else { return false }
                state.queue.append(Pending(item: item, continuation: continuation))
                return true
            }
            if accepted {
                arrived.signal()
            } else {
                continuation.resume(throwing: HooklineError(.unavailable, "Hookline is shutting down"))
            }
        }
    }

    /// Commits batches until shutdown, then drains what is queued.
    package func run() async {
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: {
            self.state.withLock { $0.closed = true }
            self.arrived.signal()
        }
        let remaining = state.withLock { state -> [Pending] in
            state.closed = true
            defer { state.queue.removeAll() }
            return state.queue
        }
        for pending in remaining {
            pending.continuation.resume(throwing: HooklineError(.unavailable, "Hookline is shutting down"))
        }
    }

    private func loop() async {
        while !Task.isCancelled {
            let (batch, closed) = state.withLock { state -> ([Pending], Bool) in
                let count = min(state.queue.count, maxBatchSize)
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                return (batch, state.closed)
            }
            if batch.isEmpty {
                if closed { return }
                await arrived.wait()
                continue
            }
            do {
                let outcomes = try await write(batch.map(\.item))
                committed?.signal()
                guard outcomes.count == batch.count else {
                    // A writer bug must not leave callers waiting forever: each learns the batch's fate is unknown.
                    logger.error(
                        "a batch write returned the wrong number of outcomes",
                        metadata: ["items": "\(batch.count)", "outcomes": "\(outcomes.count)"])
                    let failure = HooklineError(.internalError, "the store answered a batch with \(outcomes.count) outcomes for \(batch.count) items")
                    for pending in batch { pending.continuation.resume(throwing: failure) }
                    continue
                }
                for (pending, outcome) in zip(batch, outcomes) { pending.continuation.resume(returning: outcome) }
            } catch {
                logger.error("committing a batch failed", metadata: ["error": "\(error)", "count": "\(batch.count)"])
                // The store's own error says what callers may assume (`unavailable`: nothing was written;
                // `outcomeUnknown`: the commit was in flight); only an error without that meaning is generalised.
                let failure = error as? HooklineError ?? HooklineError(.unavailable, "the store cannot accept writes right now", cause: error)
                for pending in batch { pending.continuation.resume(throwing: failure) }
            }
        }
    }
}

/// The single writer for new messages: gathers concurrent requests into one durable transaction.
///
/// While a commit is in flight, new requests queue; the next transaction takes them all (up to
/// `maxBatchSize`). Each caller resumes only after its message is on disk. After every commit the
/// delivery engine is woken. The batching itself is `BatchCommitter`'s.
package final class GroupCommitter<Store: HooklineStore>: Service {
    /// How the committer batches.
    package struct Configuration: Sendable {
        /// The most messages in one transaction.
        package var maxBatchSize: Int

        /// Creates a configuration; default: 512 messages per transaction.
        package init(maxBatchSize: Int = 512) {
            self.maxBatchSize = maxBatchSize
        }
    }

    private let batches: BatchCommitter<NewMessage, InsertOutcome>

    /// The signal raised after each commit; raise it to wake the delivery engine.
    package let deliverySignal: WakeSignal

    /// Creates a committer that raises `committed` after each durable commit; with a `handoff`, each commit
    /// leases the fresh deliveries the engine can start at once and hands them over in memory.
    package init(configuration: Configuration = .init(), store: Store, committed: WakeSignal, handoff: DeliveryHandoff? = nil, logger: Logger) {
        deliverySignal = committed
        let metrics = HooklineMetrics()
        // The engine is woken after every commit, and asked to claim only when the commit left rows for a claim:
        // rows all leased at commit reach it in memory, and a claim would find nothing.
        batches = BatchCommitter(maxBatchSize: configuration.maxBatchSize, committed: nil, logger: logger) { items in
            let started = ContinuousClock.now
            defer {
                metrics.ingestCommits.increment()
                metrics.ingestCommitDuration.recordInterval(started.duration(to: .now).timeInterval)
            }
            guard let handoff else {
                let outcomes = try await store.insertMessages(items)
                committed.signal()
                return outcomes
            }
            let lease = handoff.grant(for: items)
            let result: InsertResult
            do {
                result = try await store.insertMessages(items, lease: lease)
            } catch {
                handoff.hand(InsertResult(outcomes: []), of: items, lease: lease)
                throw error
            }
            handoff.hand(result, of: items, lease: lease)
            if result.leasedEveryRow(of: items) { committed.nudge() } else { committed.signal() }
            return result.outcomes
        }
    }

    /// Commits `item` with the next batch and returns once it is durable.
    package func commit(_ item: NewMessage) async throws -> InsertOutcome {
        try await batches.commit(item)
    }

    /// Commits batches until shutdown, then drains what is queued.
    package func run() async {
        await batches.run()
    }
}
