import Foundation
import HooklineCore
import NIOCore
import Testing

@testable import HooklineHTTP

/// Every spelling of a forbidden address is refused: the IANA special-purpose registries, and every IPv6 form
/// that carries an IPv4 address, decided on the address it carries; at creation and at both delivery clients.
@Suite struct AddressSpellingTests {
    /// One address from each entry of the IANA IPv4 Special-Purpose Address Registry (first and last
    /// addresses where the block is large), multicast and broadcast.
    static let ipv4Registry = [
        "0.0.0.0", "0.255.255.255", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.255.255.254",
        "169.254.0.1", "169.254.169.254", "172.16.0.1", "172.31.255.254", "192.0.0.1", "192.0.0.8", "192.0.0.9", "192.0.0.10",
        "192.0.0.170", "192.0.0.171", "192.0.2.1", "192.31.196.1", "192.52.193.1", "192.88.99.1", "192.168.0.1", "192.168.255.254",
        "192.175.48.1", "198.18.0.1", "198.19.255.254", "198.51.100.1", "203.0.113.1", "224.0.0.1", "239.255.255.255", "240.0.0.1",
        "255.255.255.255",
    ]

    /// One address from each entry of the IANA IPv6 Special-Purpose Address Registry, multicast and site-local.
    static let ipv6Registry = [
        "::", "::1", "100::1", "100:0:0:1::1", "2001:1::1", "2001:1::2", "2001:2::1", "2001:3::1", "2001:4:112::1", "2001:10::1",
        "2001:20::1", "2001:db8::1", "2620:4f:8000::1", "3fff::1", "5f00::1", "fc00::1", "fdff::1", "fe80::1", "febf::1", "fec0::1",
        "feff::1", "ff02::1", "ff0e::1",
    ]

    /// Forbidden IPv4 addresses, each spelled in every IPv6 form that carries an IPv4 address.
    static let forbiddenIPv4 = ["127.0.0.1", "169.254.169.254", "10.0.0.1", "0.0.0.0", "100.64.0.1", "192.0.2.1", "198.18.0.1"]

    /// Every IPv6 spelling of `ipv4`: mapped, compatible, NAT64 (both prefixes), 6to4, Teredo (as server with
    /// the public client 8.8.8.8, and as the obfuscated client behind the public server 8.8.8.8).
    static func spellings(of ipv4: String) -> [String] {
        let bytes = ipv4.split(separator: ".").map { UInt8($0)! }
        let high = String(UInt16(bytes[0]) << 8 | UInt16(bytes[1]), radix: 16)
        let low = String(UInt16(bytes[2]) << 8 | UInt16(bytes[3]), radix: 16)
        let invertedHigh = String(~(UInt16(bytes[0]) << 8 | UInt16(bytes[1])), radix: 16)
        let invertedLow = String(~(UInt16(bytes[2]) << 8 | UInt16(bytes[3])), radix: 16)
        return [
            "::ffff:\(ipv4)", "::ffff:\(high):\(low)", "::\(ipv4)", "::\(high):\(low)", "64:ff9b::\(ipv4)", "64:ff9b::\(high):\(low)",
            "64:ff9b:1::\(high):\(low)", "2002:\(high):\(low)::1", "2001:0:\(high):\(low):0:0:f7f7:f7f7",
            "2001:0:808:808:0:0:\(invertedHigh):\(invertedLow)",
        ]
    }

    @Test(arguments: ipv4Registry + ipv6Registry)
    func refusesEverySpecialPurposeAddress(_ text: String) throws {
        #expect(!NetworkPolicy().permits(try #require(IPAddress(text))))
    }

    @Test(arguments: forbiddenIPv4)
    func refusesEveryIPv6SpellingOfAForbiddenAddress(_ ipv4: String) throws {
        for spelling in Self.spellings(of: ipv4) {
            let address = try #require(IPAddress(spelling), "\(spelling) parses")
            #expect(!NetworkPolicy().permits(address), "\(spelling) carries \(ipv4)")
        }
    }

    @Test func permitsEverySpellingOfAPublicAddress() throws {
        for spelling in Self.spellings(of: "8.8.8.8") + ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "2a00:1450::1", "172.32.0.1", "192.0.3.1"] {
            #expect(NetworkPolicy().permits(try #require(IPAddress(spelling))), "\(spelling) is public")
        }
    }

    @Test func anAllowedRangeCoversItsIPv6Spellings() throws {
        let policy = NetworkPolicy(allowed: [try #require(IPRange("127.0.0.0/8"))])
        for spelling in Self.spellings(of: "127.0.0.1") {
            #expect(policy.permits(try #require(IPAddress(spelling))), "\(spelling) is allowed with 127.0.0.0/8")
        }
        #expect(!policy.permits(try #require(IPAddress("64:ff9b::a9fe:a9fe"))), "the metadata service stays refused")
    }

    @Test(arguments: [
        ("0:0:0:0:0:0:0:1", "::1"), ("0:0:0:0:0:0:0:0", "::"), ("64:ff9b:0:0:0:0:7f00:1", "64:ff9b::7f00:1"), ("fe80:0:0:0:0:0:0:0", "fe80::"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("::7f00:1", "::7f00:1"), ("FC00::ABCD", "fc00::abcd"), ("::ffff:10.0.0.1", "10.0.0.1"),
    ])
    func showsAddressesCompressed(_ spelled: String, _ shown: String) throws {
        #expect(try #require(IPAddress(spelled)).description == shown)
    }

    @Test func creationRefusesEmbeddedLoopbackAndNamesItCompressed() async throws {
        let check = URLGuard(policy: NetworkPolicy())
        for url in [
            "http://[::127.0.0.1]:9/hook", "http://[64:ff9b::7f00:1]:9/hook", "http://[64:ff9b::a9fe:a9fe]/latest", "http://[2002:7f00:1::1]/",
        ] {
            await #expect(throws: HooklineError.self, "\(url)") { try await check.check(url) }
        }
        do {
            try await check.check("http://[0:0:0:0:0:0:0:1]:9/hook")
            Issue.record("loopback accepted")
        } catch let error as HooklineError {
            #expect(error.message.contains("resolves to ::1,"), "\(error.message)")
        }
    }

    @Test(arguments: [true, false])
    func bothDeliveryClientsRefuseEverySpellingBeforeConnecting(pooled: Bool) async throws {
        var configuration = HTTPClientTransport.Configuration()
        configuration.usesPooledHTTP1 = pooled
        let transport = HTTPClientTransport(configuration: configuration)
        for spelling in ["::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b:1::a9fe:a9fe", "2002:a9fe:a9fe::1", "::ffff:127.0.0.1"] {
            let request = OutboundRequest(url: "http://[\(spelling)]:9/hook", headers: [], body: Data("{}".utf8), timeout: .seconds(5))
            let response = await transport.send(request)
            #expect(response.statusCode == nil)
            #expect(response.body.hasPrefix("refused: "), "\(spelling): \(response.body)")
        }
        try await transport.shutdown()
    }

    @Test func theConnectionGuardDecidesOnTheCarriedAddress() throws {
        let closed = ConnectionGuard(policy: NetworkPolicy())
        let loopback = ConnectionGuard(policy: NetworkPolicy(allowed: [try #require(IPRange("127.0.0.0/8"))]))
        for spelling in ["::127.0.0.1", "64:ff9b::7f00:1", "::ffff:127.0.0.1", "2001:0:7f00:1:0:0:f7f7:f7f7"] {
            let peer = try SocketAddress(ipAddress: spelling, port: 80)
            #expect(!closed.permits(peer), "\(spelling) refused by default")
            #expect(loopback.permits(peer), "\(spelling) allowed with 127.0.0.0/8")
        }
        #expect(closed.permits(try SocketAddress(ipAddress: "2606:4700::1111", port: 443)))
    }
}
