/// A plain `http://` endpoint URL taken apart once: where to connect and what to put in the request line.
///
/// Parsed by hand from the URL's UTF-8 (no Foundation `URL`), and only for the shapes the pooled client
/// serves: `http://host[:port][/path][?query][#fragment]` with an ASCII host name, IPv4 or bracketed
/// IPv6 literal. Anything else — another scheme, user info, percent-escapes or spaces in the host,
/// control characters anywhere — is not a target, and the delivery goes through AsyncHTTPClient instead.
struct HTTP1Target: Sendable {
    /// The host to connect to and check (IPv6 without brackets).
    let host: String
    /// The TCP port.
    let port: Int
    /// The request target: path and query (`/` when the URL has none).
    let path: String
    /// The `Host` header value: the host as written, with `:port` unless it is 80.
    let hostHeader: String
    /// The connection pool for (`host`, `port`).
    let pool: HTTP1HostPool

    /// Parses `url`; nil when it is not a plain `http` URL this client handles. `pool` supplies the pool for a host and port.
    init?(url: String, pool: (String, Int) -> HTTP1HostPool) {
        guard let parts = Self.split(url) else { return nil }
        self.host = parts.host
        self.port = parts.port
        self.path = parts.path
        self.hostHeader = parts.hostHeader
        self.pool = pool(parts.host, parts.port)
    }

    private static func split(_ url: String) -> (host: String, port: Int, path: String, hostHeader: String)? {
        let bytes = Array(url.utf8)
        let scheme = Array("http://".utf8)
        guard bytes.count > scheme.count,
            zip(bytes, scheme).allSatisfy({ ($0 | 0x20) == $1 }),
            bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        var index = scheme.count
        let authorityStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "?"), bytes[index] != UInt8(ascii: "#") {
            index += 1
        }
        let authority = bytes[authorityStart..<index]
        guard let (host, port, hostText) = parseAuthority(authority) else { return nil }
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "#") { end += 1 }
        var path = String(decoding: bytes[index..<end], as: UTF8.self)
        if path.isEmpty || path.first == "?" { path = "/" + path }
        let hostHeader = port == 80 ? hostText : "\(hostText):\(port)"
        return (host, port, path, hostHeader)
    }

    private static func parseAuthority(_ authority: ArraySlice<UInt8>) -> (host: String, port: Int, hostText: String)? {
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")), !authority.contains(UInt8(ascii: "%")) else { return nil }
        var hostEnd = authority.endIndex
        var host: ArraySlice<UInt8>
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            host = authority[(authority.startIndex + 1)..<close]
            hostEnd = close + 1
            guard hostEnd == authority.endIndex || authority[hostEnd] == UInt8(ascii: ":") else { return nil }
            guard host.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return nil }
        } else {
            hostEnd = authority.firstIndex(of: UInt8(ascii: ":")) ?? authority.endIndex
            host = authority[authority.startIndex..<hostEnd]
            guard host.allSatisfy({ isHostCharacter($0) }) else { return nil }
        }
        guard !host.isEmpty else { return nil }
        var port = 80
        if hostEnd < authority.endIndex {
            let digits = authority[(hostEnd + 1)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            port = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard (1...65535).contains(port) else { return nil }
        }
        let hostText = String(decoding: authority[authority.startIndex..<hostEnd], as: UTF8.self)
        return (String(decoding: host, as: UTF8.self).lowercased(), port, hostText)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }

    private static func isHostCharacter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }
}
