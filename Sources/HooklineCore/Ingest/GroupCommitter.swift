import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The single writer for new messages: gathers concurrent requests into one durable transaction.
///
/// While a commit is in flight, new requests queue; the next transaction takes them all (up to
/// `maxBatchSize`). Each caller resumes only after its message is on disk. After every commit the
/// delivery engine is woken.
public final class GroupCommitter<Store: HooklineStore>: Service {
    /// How the committer batches.
    public struct Configuration: Sendable {
        /// The most messages in one transaction.
        public var maxBatchSize: Int

        /// Creates a configuration; default: 512 messages per transaction.
        public init(maxBatchSize: Int = 512) {
            self.maxBatchSize = maxBatchSize
        }
    }

    private struct Pending {
        var item: NewMessage
        var continuation: CheckedContinuation<InsertOutcome, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var closed = false
    }

    private let configuration: Configuration
    private let store: Store
    private let state = Mutex(State())
    private let arrived = WakeSignal()
    private let committed: WakeSignal
    private let logger: Logger

    /// Creates a committer that raises `committed` after each durable commit.
    public init(configuration: Configuration = .init(), store: Store, committed: WakeSignal, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.committed = committed
        self.logger = logger
    }

    /// The signal raised after each commit; raise it to wake the delivery engine.
    public var deliverySignal: WakeSignal { committed }

    /// Commits `item` with the next batch and returns once it is durable.
    public func commit(_ item: NewMessage) async throws -> InsertOutcome {
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
    public func run() async {
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: {
            self.state.withLock { $0.closed = true }
            self.arrived.signal()
        }
        failRemaining()
    }

    private func loop() async {
        while !Task.isCancelled {
            let (batch, closed) = state.withLock { state -> ([Pending], Bool) in
                let count = min(state.queue.count, configuration.maxBatchSize)
                let batch = Array(state.queue.prefix(count))
                state.queue.removeFirst(count)
                return (batch, state.closed)
            }
            if batch.isEmpty {
                if closed { return }
                await arrived.wait()
                continue
            }
            await commitBatch(batch)
        }
    }

    private func commitBatch(_ batch: [Pending]) async {
        do {
            let outcomes = try await store.insertMessages(batch.map(\.item))
            committed.signal()
            for (pending, outcome) in zip(batch, outcomes) {
                pending.continuation.resume(returning: outcome)
            }
            logger.trace("committed messages", metadata: ["count": "\(batch.count)"])
        } catch {
            logger.error("committing messages failed", metadata: ["error": "\(error)", "count": "\(batch.count)"])
            let failure = HooklineError(.unavailable, "the message store cannot accept writes right now", cause: error)
            for pending in batch { pending.continuation.resume(throwing: failure) }
        }
    }

    private func failRemaining() {
        let remaining = state.withLock { state -> [Pending] in
            state.closed = true
            defer { state.queue.removeAll() }
            return state.queue
        }
        for pending in remaining {
            pending.continuation.resume(throwing: HooklineError(.unavailable, "Hookline is shutting down"))
        }
    }
}
