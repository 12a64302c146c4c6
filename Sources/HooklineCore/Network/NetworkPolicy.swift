/// Decides which addresses deliveries may reach (the SSRF guard).
///
/// Every special-purpose address of the IANA registries (loopback, private, shared, link-local, multicast,
/// documentation, benchmarking, reserved, unspecified…; see `SpecialAddresses`) is refused unless an allowed
/// range covers it. An IPv6 address that carries an IPv4 address (IPv4-mapped or -compatible, NAT64, 6to4,
/// Teredo) is decided on the IPv4 address it carries, so `[::127.0.0.1]` or `[64:ff9b::a9fe:a9fe]` is refused
/// like `127.0.0.1` or `169.254.169.254`. Every other address is permitted.
public struct NetworkPolicy: Sendable, Equatable {
    /// Ranges that are never reached unless allowed explicitly.
    public static let blockedRanges: [IPRange] = SpecialAddresses.ipv4 + SpecialAddresses.ipv6

    /// Ranges permitted even though they are blocked by default (`--allow-network`).
    public var allowed: [IPRange]

    /// Creates a policy; by default nothing private is allowed.
    public init(allowed: [IPRange] = []) {
        self.allowed = allowed
    }

    /// Whether deliveries may connect to `address`.
    public func permits(_ address: IPAddress) -> Bool {
        if allowed.contains(where: { $0.contains(address) }) { return true }
        let embedded = SpecialAddresses.embeddedIPv4(in: address)
        if !embedded.isEmpty { return embedded.allSatisfy(permits) }
        return !Self.blockedRanges.contains { $0.contains(address) }
    }
}
