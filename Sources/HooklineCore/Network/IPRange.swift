/// A CIDR block such as `127.0.0.0/8` or `fc00::/7`.
public struct IPRange: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    public let base: IPAddress
    /// The prefix length in bits.
    public let prefixLength: Int

    /// Parses `address/prefix`, or a bare address as a single-host block.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : bits
        guard let length, (0...bits).contains(length) else { return nil }
        self.base = address
        self.prefixLength = length
    }

    /// Whether `address` lies in this block.
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefixLength
        for (lhs, rhs) in zip(address.bytes, base.bytes) where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if lhs & mask != rhs & mask { return false }
            remaining -= take
        }
        return true
    }

    /// The CIDR text.
    public var description: String { "\(base)/\(prefixLength)" }
}
