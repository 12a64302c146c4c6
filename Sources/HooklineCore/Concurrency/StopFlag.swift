import Synchronization

/// A one-way flag a shutdown handler raises and a loop checks.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Whether the flag is raised.
    var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Raises the flag.
    func raise() { raised.store(true, ordering: .relaxed) }
}
