import HooklineCore
import Testing

@Suite struct NetworkPolicyTests {
    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1",
        "::ffff:127.0.0.1", "100.64.0.1",
    ])
    func refusesPrivateAddressesByDefault(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!NetworkPolicy().permits(address))
    }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"])
    func permitsPublicAddresses(_ text: String) throws {
        #expect(NetworkPolicy().permits(try #require(IPAddress(text))))
    }

    @Test func allowListOpensARange() throws {
        let policy = NetworkPolicy(allowed: [try #require(IPRange("127.0.0.0/8"))])
        #expect(policy.permits(try #require(IPAddress("127.0.0.1"))))
        #expect(policy.permits(try #require(IPAddress("127.255.0.9"))))
        #expect(!policy.permits(try #require(IPAddress("10.0.0.1"))))
    }

    @Test func parsesRanges() {
        #expect(IPRange("10.0.0.0/33") == nil)
        #expect(IPRange("nonsense/8") == nil)
        #expect(IPRange("fc00::/7")?.contains(IPAddress("fdff::1")!) == true)
        #expect(IPRange("192.168.0.0/16")?.contains(IPAddress("192.169.0.1")!) == false)
    }

    @Test func urlGuardChecksSchemeAndAddress() async throws {
        let guardOpen = URLGuard(policy: NetworkPolicy(allowed: [try #require(IPRange("127.0.0.0/8"))]))
        await #expect(throws: Never.self) { try await guardOpen.check("http://127.0.0.1:9/hook") }
        await #expect(throws: HooklineError.self) { try await guardOpen.check("ftp://127.0.0.1/hook") }
        await #expect(throws: HooklineError.self) { try await guardOpen.check("not a url") }
        await #expect(throws: HooklineError.self) { try await URLGuard(policy: NetworkPolicy()).check("http://localhost:9/hook") }
    }
}
