import Synchronization

/// A count of requests that parallel workers draw from until it runs out.
final class RequestBudget: Sendable {
    private let remaining: Atomic<Int>

    /// A budget of `count` requests.
    init(_ count: Int) {
        remaining = Atomic(count)
    }

    /// Takes one request from the budget; false once it is spent.
    func take() -> Bool {
        remaining.wrappingSubtract(1, ordering: .relaxed).oldValue > 0
    }
}
