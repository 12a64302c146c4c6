import Foundation
import Logging
import ServiceLifecycle

/// Warns once at start about the endpoints the network policy refuses, so that a policy change that cuts
/// endpoints off (a restart without the `--allow-network` they need) is never silent.
///
/// Each refused attempt also says why in its response (`refused: …`, shown in the CLI's attempts table)
/// and counts in `hookline_delivery_refusals_total`.
public struct PolicyAudit<Store: HooklineStore>: Service {
    /// How many refused endpoints the warning names.
    public static var sampleSize: Int { 5 }

    let store: Store
    let policy: NetworkPolicy
    let resolver: any HostResolving
    let logger: Logger

    /// Creates an audit of `store`'s endpoints against `policy`, resolving host names with `resolver`.
    public init(store: Store, policy: NetworkPolicy, resolver: any HostResolving, logger: Logger) {
        self.store = store
        self.policy = policy
        self.resolver = resolver
        self.logger = logger
    }

    /// Logs the warning (when any endpoint is refused), then waits for shutdown.
    public func run() async throws {
        do {
            let refused = try await refusedEndpoints()
            if let warning = Self.warning(refused) { logger.warning("\(warning)") }
        } catch {
            logger.notice("could not check endpoints against the network policy", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
    }

    /// How many endpoints the policy refuses, and the first `sampleSize` as `app/endpoint url (address)`.
    public func refusedEndpoints() async throws -> (count: Int, sample: [String]) {
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
    public static func warning(_ refused: (count: Int, sample: [String])) -> String? {
        guard refused.count > 0 else { return nil }
        let more = refused.count > refused.sample.count ? ", and \(refused.count - refused.sample.count) more" : ""
        return "the network policy refuses \(refused.count) endpoint(s); their deliveries fail until --allow-network covers them: "
            + refused.sample.joined(separator: "; ") + more
    }
}
