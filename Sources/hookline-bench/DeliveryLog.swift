import Synchronization

/// Every webhook the receiver got, in arrival order.
final class DeliveryLog: Sendable {
    /// One POST that reached the receiver.
    struct Delivery: Sendable {
        /// The `seq` found in the body, if any.
        let seq: Int?
        /// The `webhook-id` header, if any.
        let messageID: String?
        /// Whether the body was byte for byte the payload sent for `seq`.
        let exactPayload: Bool
        /// When the receiver's handler started on it.
        let arrival: ContinuousClock.Instant
    }

    private let deliveries = Mutex<[Delivery]>([])

    /// Creates an empty log.
    init() {
        deliveries.withLock { $0.reserveCapacity(1 << 16) }
    }

    /// Appends one arrival.
    func append(_ delivery: Delivery) {
        deliveries.withLock { $0.append(delivery) }
    }

    /// A copy of the arrivals from `index` on.
    func deliveries(from index: Int) -> [Delivery] {
        deliveries.withLock { Array($0[Swift.min(index, $0.count)...]) }
    }

    /// Waits until every message in `messageIDs` has arrived at least once, or `deadline` passes.
    ///
    /// - Returns: The ids still missing (empty when all arrived).
    func waitForMessages(
        _ messageIDs: Set<String>,
        until deadline: ContinuousClock.Instant,
        pollingEvery interval: Duration = .milliseconds(20)
    ) async -> Set<String> {
        var missing = messageIDs
        var cursor = 0
        while true {
            let arrived = deliveries(from: cursor)
            cursor += arrived.count
            for delivery in arrived {
                if let id = delivery.messageID { missing.remove(id) }
            }
            if missing.isEmpty || ContinuousClock.now >= deadline || Task.isCancelled {
                return missing
            }
            try? await Task.sleep(for: interval)
        }
    }
}
