import Foundation
import Logging
import ServiceLifecycle

/// The single writer for new messages: gathers concurrent requests into one durable transaction.
///
/// While a commit is in flight, new requests queue; the next transaction takes them all (up to
/// `maxBatchSize`). Each caller resumes only after its message is on disk. After every commit the
/// delivery engine is woken. The batching itself is `BatchCommitter`'s.
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

    private let batches: BatchCommitter<NewMessage, InsertOutcome>

    /// The signal raised after each commit; raise it to wake the delivery engine.
    public let deliverySignal: WakeSignal

    /// Creates a committer that raises `committed` after each durable commit; with a `handoff`, each commit
    /// leases the fresh deliveries the engine can start at once and hands them over in memory.
    public init(configuration: Configuration = .init(), store: Store, committed: WakeSignal, handoff: DeliveryHandoff? = nil, logger: Logger) {
        deliverySignal = committed
        batches = BatchCommitter(maxBatchSize: configuration.maxBatchSize, committed: committed, logger: logger) { items in
            guard let handoff else { return try await store.insertMessages(items) }
            let lease = handoff.grant(for: items)
            let result: InsertResult
            do {
                result = try await store.insertMessages(items, lease: lease)
            } catch {
                handoff.hand(InsertResult(outcomes: []), of: items, lease: lease)
                throw error
            }
            handoff.hand(result, of: items, lease: lease)
            return result.outcomes
        }
    }

    /// Commits `item` with the next batch and returns once it is durable.
    public func commit(_ item: NewMessage) async throws -> InsertOutcome {
        try await batches.commit(item)
    }

    /// Commits batches until shutdown, then drains what is queued.
    public func run() async {
        await batches.run()
    }
}
