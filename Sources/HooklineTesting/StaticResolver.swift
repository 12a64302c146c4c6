import HooklineCore

/// A resolver with a fixed table of answers, for tests that must not depend on DNS.
public struct StaticResolver: HostResolving {
    /// Addresses per host name (lowercased).
    public var table: [String: [IPAddress]]

    /// Creates a resolver answering from `table` (host → textual addresses); IP literals resolve to themselves.
    public init(_ table: [String: [String]]) {
        self.table = Dictionary(uniqueKeysWithValues: table.map { ($0.key.lowercased(), $0.value.compactMap(IPAddress.init)) })
    }

    /// The table's answer for `host`; empty when it has none.
    public func addresses(of host: String) async -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return table[host.lowercased()] ?? []
    }
}
