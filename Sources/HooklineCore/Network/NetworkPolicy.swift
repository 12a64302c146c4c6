/// Decides which addresses deliveries may reach (the SSRF guard).
///
/// Loopback, private, shared, link-local, multicast, reserved and unspecified addresses are refused
/// unless an allowed range covers them; every other address is permitted.
public struct NetworkPolicy: Sendable, Equatable {
    /// Ranges that are never reached unless allowed explicitly.
    public static let blockedRanges: [IPRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    ].compactMap(IPRange.init)

    /// Ranges permitted even though they are blocked by default (`--allow-network`).
    public var allowed: [IPRange]

    /// Creates a policy; by default nothing private is allowed.
    public init(allowed: [IPRange] = []) {
        self.allowed = allowed
    }

    /// Whether deliveries may connect to `address`.
    public func permits(_ address: IPAddress) -> Bool {
        if allowed.contains(where: { $0.contains(address) }) { return true }
        return !Self.blockedRanges.contains { $0.contains(address) }
    }
}
