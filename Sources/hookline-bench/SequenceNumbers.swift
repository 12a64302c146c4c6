import Synchronization

/// Hands out the `seq` numbers that make every bench message unique, in order, from any task.
final class SequenceNumbers: Sendable {
    private let next = Atomic<Int>(0)

    /// Creates a counter that starts at zero.
    init() {}

    /// The next unused number.
    func take() -> Int {
        next.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// The number `take()` would return now; numbers below it have been handed out.
    var watermark: Int {
        next.load(ordering: .relaxed)
    }
}
