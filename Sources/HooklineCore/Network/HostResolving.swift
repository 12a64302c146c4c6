import Dispatch

/// Turns a host name into the addresses it stands for; injected so tests need no DNS.
public protocol HostResolving: Sendable {
    /// The addresses of `host` (an IP literal resolves to itself); empty when it cannot be resolved.
    func addresses(of host: String) async -> [IPAddress]
}

extension HostResolver: HostResolving {
    /// The addresses of `host`, looked up on a Dispatch worker thread (`getaddrinfo` blocks; never on the concurrency pool).
    public func addresses(of host: String) async -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: lookUp(host)) }
        }
    }
}
