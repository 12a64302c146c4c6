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

extension ClusterLease {
    /// This process's holder name: host, process id and a random suffix, unique across restarts.
    public static let processHolder: String = {
        let info = ProcessInfo.processInfo
        return "\(info.hostName)-\(info.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }()
}
