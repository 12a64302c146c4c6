#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as bytes (IPv4-mapped IPv6 addresses are unwrapped to IPv4).
package struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    package let bytes: [UInt8]

    /// Creates an address from 4 or 16 bytes.
    package init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            self.bytes = Array(bytes[12..<16])
        } else {
            self.bytes = bytes
        }
    }

    /// Parses a textual IPv4 or IPv6 address (brackets allowed around IPv6).
    package init?(_ text: String) {
        var literal = text
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            self.init(bytes: withUnsafeBytes(of: &v4) { Array($0) })
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            self.init(bytes: withUnsafeBytes(of: &v6) { Array($0) })
            return
        }
        return nil
    }

    /// Whether this is an IPv4 address.
    package var isIPv4: Bool { bytes.count == 4 }

    /// The conventional text form: dotted IPv4, or IPv6 compressed as RFC 5952 recommends (`::1`, `64:ff9b::7f00:1`).
    package var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        // The longest run of two or more zero groups (the first of equals) becomes `::`.
        var best: Range<Int>?
        var start: Int?
        for index in 0...groups.count {
            if index < groups.count, groups[index] == 0 {
                if start == nil { start = index }
            } else if let first = start {
                if index - first >= 2, index - first > (best?.count ?? 0) { best = first..<index }
                start = nil
            }
        }
        let hex = { (slice: ArraySlice<UInt16>) in slice.map { String($0, radix: 16) }.joined(separator: ":") }
        guard let best else { return hex(groups[...]) }
        return hex(groups[..<best.lowerBound]) + "::" + hex(groups[best.upperBound...])
    }
}

/// A CIDR block such as `127.0.0.0/8` or `fc00::/7`.
package struct IPRange: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    package let base: IPAddress
    /// The prefix length in bits.
    package let prefixLength: Int

    /// Parses `address/prefix`, or a bare address as a single-host block.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : bits
        guard let length, (0...bits).contains(length) else { return nil }
        self.base = address
        self.prefixLength = length
    }

    /// Whether `address` lies in this block.
    package func contains(_ address: IPAddress) -> Bool {
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
    package var description: String { "\(base)/\(prefixLength)" }
}

/// The special-purpose address blocks deliveries never reach unless allowed, and the IPv6 forms that carry an
/// IPv4 address, from the IANA IPv4 and IPv6 Special-Purpose Address Registries (plus multicast and the
/// deprecated site-local block).
package enum SpecialAddresses {
    /// Every entry of the IANA IPv4 Special-Purpose Address Registry, multicast and the limited broadcast.
    package static let ipv4: [IPRange] = [
        "0.0.0.0/8",  // "this network" (RFC 791)
        "10.0.0.0/8",  // private use (RFC 1918)
        "100.64.0.0/10",  // shared address space, carrier-grade NAT (RFC 6598)
        "127.0.0.0/8",  // loopback (RFC 1122)
        "169.254.0.0/16",  // link local, cloud metadata (RFC 3927)
        "172.16.0.0/12",  // private use (RFC 1918)
        "192.0.0.0/24",  // IETF protocol assignments (RFC 6890), incl. DS-Lite, NAT64 discovery
        "192.0.2.0/24",  // documentation TEST-NET-1 (RFC 5737)
        "192.31.196.0/24",  // AS112-v4 (RFC 7535)
        "192.52.193.0/24",  // AMT (RFC 7450)
        "192.88.99.0/24",  // deprecated 6to4 relay anycast (RFC 7526)
        "192.168.0.0/16",  // private use (RFC 1918)
        "192.175.48.0/24",  // direct delegation AS112 service (RFC 7534)
        "198.18.0.0/15",  // benchmarking (RFC 2544)
        "198.51.100.0/24",  // documentation TEST-NET-2 (RFC 5737)
        "203.0.113.0/24",  // documentation TEST-NET-3 (RFC 5737)
        "224.0.0.0/4",  // multicast (RFC 5771)
        "240.0.0.0/4",  // reserved (RFC 1112), incl. 255.255.255.255 limited broadcast (RFC 919)
    ].compactMap(IPRange.init)

    /// Every entry of the IANA IPv6 Special-Purpose Address Registry that does not carry an IPv4 address,
    /// with multicast and site-local.
    package static let ipv6: [IPRange] = [
        "::/128",  // unspecified (RFC 4291)
        "::1/128",  // loopback (RFC 4291)
        "100::/64",  // discard-only (RFC 6666)
        "100:0:0:1::/64",  // dummy IPv6 prefix (RFC 9780)
        "2001::/23",  // IETF protocol assignments (RFC 2928): PCP/TURN anycast, benchmarking, AMT, AS112, ORCHID
        "2001:db8::/32",  // documentation (RFC 3849)
        "2620:4f:8000::/48",  // direct delegation AS112 service (RFC 7534)
        "3fff::/20",  // documentation (RFC 9637)
        "5f00::/16",  // segment routing SIDs (RFC 9602)
        "fc00::/7",  // unique local (RFC 4193)
        "fe80::/10",  // link-local unicast (RFC 4291)
        "fec0::/10",  // site-local, deprecated (RFC 3879)
        "ff00::/8",  // multicast (RFC 4291)
    ].compactMap(IPRange.init)

    /// How an IPv6 address that carries an IPv4 address spells it.
    package enum Embedding: Sendable {
        /// The last 32 bits: IPv4-compatible `::/96`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`.
        case lowBits
        /// Bits 16–47: 6to4 `2002::/16`.
        case sixToFour
        /// Teredo `2001::/32`: the server in bits 32–63, the client in the last 32 bits inverted.
        case teredo
    }

    /// The IPv6 blocks that carry IPv4 addresses; a policy decides on the IPv4 addresses they carry.
    /// (IPv4-mapped `::ffff:0:0/96` is unwrapped to IPv4 by `IPAddress` itself.)
    package static let embedding: [(range: IPRange, embedding: Embedding)] = [
        (IPRange("::/96")!, .lowBits),
        (IPRange("64:ff9b::/96")!, .lowBits),
        (IPRange("64:ff9b:1::/48")!, .lowBits),
        (IPRange("2002::/16")!, .sixToFour),
        (IPRange("2001::/32")!, .teredo),
    ]

    /// The IPv4 addresses `address` carries, when it is in one of the `embedding` blocks; empty otherwise.
    package static func embeddedIPv4(in address: IPAddress) -> [IPAddress] {
        guard !address.isIPv4, let form = embedding.first(where: { $0.range.contains(address) })?.embedding else { return [] }
        let bytes = address.bytes
        switch form {
        case .lowBits:
            return [IPAddress(bytes: Array(bytes[12..<16]))].compactMap { $0 }
        case .sixToFour:
            return [IPAddress(bytes: Array(bytes[2..<6]))].compactMap { $0 }
        case .teredo:
            return [IPAddress(bytes: Array(bytes[4..<8])), IPAddress(bytes: bytes[12..<16].map { ~$0 })].compactMap { $0 }
        }
    }
}
