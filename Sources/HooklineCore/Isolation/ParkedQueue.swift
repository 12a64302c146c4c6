/// The deliveries parked behind one endpoint, oldest first: appends and takes from the front in constant time.
///
/// A plain array's `removeFirst` moves every remaining element (a few hundred bytes each, up to three caps of
/// them) on each hand-over; here the front advances and the storage is compacted once half of it is spent.
struct ParkedQueue: Sendable {
    private var storage: [ClaimedDelivery?] = []
    private var head = 0

    /// How many deliveries wait.
    var count: Int { storage.count - head }

    /// Whether none waits.
    var isEmpty: Bool { count == 0 }

    /// The waiting deliveries, oldest first.
    var elements: [ClaimedDelivery] { storage[head...].compactMap { $0 } }

    /// Adds `delivery` behind the others.
    mutating func append(_ delivery: ClaimedDelivery) {
        storage.append(delivery)
    }

    /// Takes the oldest delivery, if any.
    mutating func popFirst() -> ClaimedDelivery? {
        guard head < storage.count else { return nil }
        let first = storage[head].take()
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return first
    }

    /// Takes every waiting delivery, oldest first.
    mutating func removeAll() -> [ClaimedDelivery] {
        defer {
            storage.removeAll()
            head = 0
        }
        return elements
    }
}
