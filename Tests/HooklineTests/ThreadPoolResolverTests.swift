import HooklineCore
import HooklineHTTP
import Testing

/// The send-time resolver runs `getaddrinfo` off the concurrency pool and answers literals inline.
@Suite struct ThreadPoolResolverTests {
    @Test func resolvesLiteralsAndHostNames() async {
        let resolver = ThreadPoolResolver()
        #expect(await resolver.addresses(of: "127.0.0.1") == [IPAddress("127.0.0.1")!])
        let local = await resolver.addresses(of: "localhost")
        #expect(!local.isEmpty, "localhost resolves through the hosts file")
        #expect(local.allSatisfy { $0 == IPAddress("127.0.0.1")! || $0 == IPAddress("::1")! }, "to loopback only: \(local)")
    }
}
