import Foundation

/// A request to hold a named, time-limited lease so that periodic work runs on one node of a cluster at a time.
public struct ClusterLease: Sendable, Equatable {
    /// What the lease guards, e.g. `retention`.
    public var name: String
    /// The node asking for it.
    public var holder: String
    /// The current time.
    public var now: Date
    /// When the lease lapses unless renewed.
    public var until: Date

    /// Creates a lease request.
    public init(name: String, holder: String, now: Date, until: Date) {
        self.name = name
        self.holder = holder
        self.now = now
        self.until = until
    }
}
