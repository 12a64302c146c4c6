import HooklineCore
import HooklineTesting
import Logging
import Testing

/// The create-time URL check resolves hosts through an injected, asynchronous resolver (the system one runs
/// `getaddrinfo` off the concurrency pool), so endpoint creation never blocks a thread of Swift's pool.
@Suite struct URLGuardResolverTests {
    let resolver = StaticResolver(["hooks.example.test": ["93.184.216.34"], "internal.example.test": ["10.0.0.7"]])

    @Test func checksTheAddressesTheInjectedResolverGives() async throws {
        let check = URLGuard(policy: NetworkPolicy(), resolver: resolver)
        await #expect(throws: Never.self) { try await check.check("https://hooks.example.test/in") }
        let refused = await #expect(throws: HooklineError.self) { try await check.check("https://internal.example.test/in") }
        #expect(refused?.message.contains("resolves to 10.0.0.7,") == true, "\(refused?.message ?? "")")
        let unknown = await #expect(throws: HooklineError.self) { try await check.check("https://nowhere.example.test/in") }
        #expect(unknown?.message.contains("could not be resolved") == true, "\(unknown?.message ?? "")")
    }

    @Test func gatewayChecksEndpointURLsWithItsConfiguredResolver() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/db.sqlite", schedule: [])
        let gateway = Gateway(
            configuration: .init(networkPolicy: NetworkPolicy(), resolver: resolver), store: harness.store, clock: harness.clock,
            committer: harness.committer, logger: .init(label: "test"))
        let (app, _) = try await gateway.createApplication(ApplicationDraft(name: "Resolver"))
        let endpoint = try await gateway.createEndpoint(appIdOrUid: app.id, EndpointDraft(url: "https://hooks.example.test/in"))
        #expect(endpoint.url == "https://hooks.example.test/in")
        await #expect(throws: HooklineError.self) {
            _ = try await gateway.createEndpoint(appIdOrUid: app.id, EndpointDraft(url: "https://internal.example.test/in"))
        }
    }

    @Test func systemResolverAnswersLiteralsAndTheHostsFile() async {
        let resolver = HostResolver()
        #expect(await resolver.addresses(of: "127.0.0.1") == [IPAddress("127.0.0.1")!])
        let local = await resolver.addresses(of: "localhost")
        #expect(!local.isEmpty && local.allSatisfy { $0 == IPAddress("127.0.0.1")! || $0 == IPAddress("::1")! }, "\(local)")
    }
}
