import Foundation
import Synchronization

/// Remembers what a resolver answered for a while, and asks it once when many deliveries look up one host together.
///
/// The delivery transport resolves an endpoint's host before every delivery (the send-time SSRF check): without a
/// cache, every delivery to a named host pays a `getaddrinfo` call and a thread hop, and waits for DNS. A remembered
/// answer only decides that pre-check; every new connection's actual peer address is still checked when it
/// connects (`ConnectionGuard`), so a name that starts resolving to a blocked address cannot reach it meanwhile.
package final class CachingResolver<Base: HostResolving>: HostResolving {
    /// How long answers are remembered.
    package struct Configuration: Sendable {
        /// How long a host's addresses are reused.
        package var lifetime: Duration
        /// How long a failed lookup (no address) is reused.
        package var failureLifetime: Duration
        /// Hosts remembered at most; beyond it the cache starts over.
        package var capacity: Int

        /// Creates a configuration; defaults: addresses for 10 s, failures for 1 s, 4 096 hosts.
        package init(lifetime: Duration = .seconds(10), failureLifetime: Duration = .seconds(1), capacity: Int = 4096) {
            self.lifetime = lifetime
            self.failureLifetime = failureLifetime
            self.capacity = capacity
        }
    }

    private enum Entry {
        case resolved([IPAddress], until: Date)
        /// A lookup in flight, and the callers waiting for its answer.
        case pending([CheckedContinuation<[IPAddress]?, Never>])
    }

    private let configuration: Configuration
    private let base: Base
    private let clock: any HooklineClock
    private let entries = Mutex<[String: Entry]>([:])

    /// A cache in front of `base`, timed by `clock`.
    package init(base: Base, configuration: Configuration = .init(), clock: any HooklineClock = SystemClock()) {
        self.base = base
        self.configuration = configuration
        self.clock = clock
    }

    /// The addresses of `host`: remembered, awaited from a lookup in flight, or looked up now.
    package func addresses(of host: String) async -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        while true {
            let now = clock.now()
            let step = entries.withLock { entries -> Step in
                switch entries[host] {
                case .resolved(let addresses, let until) where until > now: return .answer(addresses)
                case .pending: return .wait
                case .resolved, nil:
                    entries[host] = .pending([])
                    return .lookUp
                }
            }
            switch step {
            case .answer(let addresses):
                return addresses
            case .lookUp:
                return await lookUp(host)
            case .wait:
                // `nil`: the lookup's answer is already gone again (the cache started over); ask anew.
                if let addresses = await answer(awaitedFor: host) { return addresses }
            }
        }
    }

    private enum Step {
        case answer([IPAddress])
        case lookUp
        case wait
    }

    /// Looks `host` up, remembers the answer, and hands it to every caller that waited for it.
    private func lookUp(_ host: String) async -> [IPAddress] {
        let addresses = await base.addresses(of: host)
        let lifetime = addresses.isEmpty ? configuration.failureLifetime : configuration.lifetime
        let until = clock.now().adding(lifetime)
        let waiters = entries.withLock { entries -> [CheckedContinuation<[IPAddress]?, Never>] in
            var waiters: [CheckedContinuation<[IPAddress]?, Never>] = []
            if case .pending(let waiting) = entries[host] { waiters = waiting }
            if entries.count >= configuration.capacity {
                // Start over, but keep the lookups in flight: their callers are waiting for them.
                entries = entries.filter { if case .pending = $0.value { true } else { false } }
            }
            entries[host] = .resolved(addresses, until: until)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: addresses) }
        return addresses
    }

    /// The answer of the lookup in flight for `host`, or `nil` when there is none any more and no answer is remembered.
    private func answer(awaitedFor host: String) async -> [IPAddress]? {
        await withCheckedContinuation { continuation in
            let immediate = entries.withLock { entries -> [IPAddress]?? in
                switch entries[host] {
                case .pending(var waiting):
                    waiting.append(continuation)
                    entries[host] = .pending(waiting)
                    return .none
                case .resolved(let addresses, _): return .some(addresses)
                case nil: return .some(nil)
                }
            }
            if case .some(let answer) = immediate { continuation.resume(returning: answer) }
        }
    }
}
