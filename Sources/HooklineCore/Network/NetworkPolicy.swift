import Foundation
import Logging
import ServiceLifecycle

/// Decides which addresses deliveries may reach (the SSRF guard).
///
/// Every special-purpose address of the IANA registries (loopback, private, shared, link-local, multicast,
/// documentation, benchmarking, reserved, unspecified…; see `SpecialAddresses`) is refused unless an allowed
/// range covers it. An IPv6 address that carries an IPv4 address (IPv4-mapped or -compatible, NAT64, 6to4,
/// Teredo) is decided on the IPv4 address it carries, so `[::127.0.0.1]` or `[64:ff9b::a9fe:a9fe]` is refused
/// like `127.0.0.1` or `169.254.169.254`. Every other address is permitted.
package struct NetworkPolicy: Sendable, Equatable {
    /// Ranges that are never reached unless allowed explicitly.
    package static let blockedRanges: [IPRange] = SpecialAddresses.ipv4 + SpecialAddresses.ipv6

    /// Ranges permitted even though they are blocked by default (`--allow-network`).
    package var allowed: [IPRange]

    /// Creates a policy; by default nothing private is allowed.
    package init(allowed: [IPRange] = []) {
        self.allowed = allowed
    }

    /// Whether deliveries may connect to `address`.
    package func permits(_ address: IPAddress) -> Bool {
        if allowed.contains(where: { $0.contains(address) }) { return true }
        let embedded = SpecialAddresses.embeddedIPv4(in: address)
        if !embedded.isEmpty { return embedded.allSatisfy(permits) }
        return !Self.blockedRanges.contains { $0.contains(address) }
    }
}

/// Checks that an endpoint URL is well formed and reaches only permitted addresses.
package struct URLGuard: Sendable {
    /// The address policy applied.
    package var policy: NetworkPolicy
    /// Resolves the URL's host (off the concurrency pool).
    let resolver: any HostResolving

    /// Creates a guard over `policy` that resolves hosts with `resolver` (the system resolver by default).
    package init(policy: NetworkPolicy, resolver: any HostResolving = HostResolver()) {
        self.policy = policy
        self.resolver = resolver
    }

    /// Throws a validation error unless `url` is an http(s) URL whose host resolves only to permitted addresses.
    package func check(_ url: String) async throws {
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

/// Warns once at start about the endpoints the network policy refuses, so that a policy change that cuts
/// endpoints off (a restart without the `--allow-network` they need) is never silent.
///
/// Each refused attempt also says why in its response (`refused: …`, shown in the CLI's attempts table)
/// and counts in `hookline_delivery_refusals_total`.
package struct PolicyAudit<Store: HooklineStore>: Service {
    /// How many refused endpoints the warning names.
    package static var sampleSize: Int { 5 }

    let store: Store
    let policy: NetworkPolicy
    let resolver: any HostResolving
    let logger: Logger

    /// Creates an audit of `store`'s endpoints against `policy`, resolving host names with `resolver`.
    package init(store: Store, policy: NetworkPolicy, resolver: any HostResolving, logger: Logger) {
        self.store = store
        self.policy = policy
        self.resolver = resolver
        self.logger = logger
    }

    /// Logs the warning (when any endpoint is refused), then waits for shutdown.
    package func run() async throws {
        do {
            let refused = try await refusedEndpoints()
            if let warning = Self.warning(refused) { logger.warning("\(warning)") }
        } catch {
            logger.notice("could not check endpoints against the network policy", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
    }

    /// How many endpoints the policy refuses, and the first `sampleSize` as `app/endpoint url (address)`.
    package func refusedEndpoints() async throws -> (count: Int, sample: [String]) {
        var count = 0
        var sample: [String] = []
        var iterator: String?
        repeat {
            let page = try await store.applications(PageRequest(limit: 250, iterator: iterator))
            for application in page.items {
                for endpoint in try await store.allEndpoints(appId: application.id) {
                    guard let address = await refusedAddress(endpoint.url) else { continue }
                    count += 1
                    if sample.count < Self.sampleSize { sample.append("\(application.id)/\(endpoint.id) \(endpoint.url) (\(address))") }
                }
            }
            iterator = page.done ? nil : page.iterator
        } while iterator != nil
        return (count, sample)
    }

    /// The address of `url`'s host the policy refuses, if any (an unresolvable host is not counted).
    func refusedAddress(_ url: String) async -> IPAddress? {
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { return nil }
        return await resolver.addresses(of: host).first { !policy.permits($0) }
    }

    /// The one warning for `refused`, or `nil` when nothing is refused.
    package static func warning(_ refused: (count: Int, sample: [String])) -> String? {
        guard refused.count > 0 else { return nil }
        let more = refused.count > refused.sample.count ? ", and \(refused.count - refused.sample.count) more" : ""
        return "the network policy refuses \(refused.count) endpoint(s); their deliveries fail until --allow-network covers them: "
            + refused.sample.joined(separator: "; ") + more
    }
}
