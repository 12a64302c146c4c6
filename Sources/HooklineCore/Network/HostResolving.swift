/// Turns a host name into the addresses it stands for; injected so tests need no DNS.
public protocol HostResolving: Sendable {
    /// The addresses of `host` (an IP literal resolves to itself); empty when it cannot be resolved.
    func addresses(of host: String) async -> [IPAddress]
}

extension HostResolver: HostResolving {}
