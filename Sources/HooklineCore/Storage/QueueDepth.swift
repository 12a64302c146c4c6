/// How many active deliveries are in each part of the queue.
public struct QueueDepth: Sendable, Equatable {
    /// Pending and due now.
    public var due: Int
    /// Pending but due later (retries, `deliverAt`).
    public var scheduled: Int
    /// Leased by an engine.
    public var inFlight: Int

    /// Creates a depth reading.
    public init(due: Int, scheduled: Int, inFlight: Int) {
        self.due = due
        self.scheduled = scheduled
        self.inFlight = inFlight
    }
}
