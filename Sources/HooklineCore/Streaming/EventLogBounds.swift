/// Which ids the event log still holds.
public struct EventLogBounds: Sendable, Equatable {
    /// The oldest id kept, or `nil` when the log is empty.
    public var firstId: Int64?
    /// The largest id ever assigned (0 when none), even if pruned since.
    public var lastId: Int64

    /// Creates bounds.
    public init(firstId: Int64?, lastId: Int64) {
        self.firstId = firstId
        self.lastId = lastId
    }

    /// Whether events after `id` are no longer all kept (some were pruned).
    public func hasPruned(after id: Int64) -> Bool {
        guard id < lastId else { return false }
        guard let firstId else { return true }
        return id < firstId - 1
    }
}
