import HooklineCore
import NIOPosix

/// The system resolver run on NIO's blocking-work thread pool, so a slow DNS answer never holds a thread of
/// Swift's concurrency pool (`getaddrinfo` blocks). IP literals resolve inline.
package struct ThreadPoolResolver: HostResolving {
    private let resolver = HostResolver()

    /// Creates a resolver that uses `NIOThreadPool.singleton`.
    package init() {}

    /// The addresses of `host`; empty when it cannot be resolved.
    package func addresses(of host: String) async -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        let resolver = self.resolver
        return (try? await NIOThreadPool.singleton.runIfActive { resolver.lookUp(host) }) ?? []
    }
}
