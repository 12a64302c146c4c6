import Foundation

/// Checks that an endpoint URL is well formed and reaches only permitted addresses.
public struct URLGuard: Sendable {
    /// The address policy applied.
    public var policy: NetworkPolicy
    /// Resolves the URL's host (off the concurrency pool).
    let resolver: any HostResolving

    /// Creates a guard over `policy` that resolves hosts with `resolver` (the system resolver by default).
    public init(policy: NetworkPolicy, resolver: any HostResolving = HostResolver()) {
        self.policy = policy
        self.resolver = resolver
    }

    /// Throws a validation error unless `url` is an http(s) URL whose host resolves only to permitted addresses.
    public func check(_ url: String) async throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw HooklineError.invalid("url", message: "url must be an absolute http or https URL")
        }
        let addresses = await resolver.addresses(of: host)
        guard !addresses.isEmpty else {
            throw HooklineError.invalid("url", message: "the host of url could not be resolved")
        }
        if let refused = addresses.first(where: { !policy.permits($0) }) {
            throw HooklineError.invalid(
                "url", message: "url resolves to \(refused), a private or reserved address; allow it with --allow-network")
        }
    }
}
