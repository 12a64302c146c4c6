import HooklineCore
import HooklineTesting
import Synchronization
import Testing

/// The send-time check's resolver cache: answers are reused for their lifetime, failures briefly, and concurrent
/// lookups of one host ask the system once.
@Suite struct CachingResolverTests {
    @Test func answersAreReusedForTheirLifetime() async {
        let clock = ManualClock()
        let base = CountingResolver { _ in [IPAddress("192.0.2.7")!] }
        let resolver = CachingResolver(base: base, clock: clock)
        #expect(await resolver.addresses(of: "hooks.example") == [IPAddress("192.0.2.7")!])
        _ = clock.advance(by: .seconds(9))
        #expect(await resolver.addresses(of: "hooks.example") == [IPAddress("192.0.2.7")!])
        #expect(base.calls == 1, "the second lookup within 10 s is answered from the cache")
        _ = clock.advance(by: .seconds(2))
        _ = await resolver.addresses(of: "hooks.example")
        #expect(base.calls == 2, "after 10 s the host is looked up again")
        _ = await resolver.addresses(of: "other.example")
        #expect(base.calls == 3, "each host has its own answer")
    }

    @Test func failuresAreReusedBriefly() async {
        let clock = ManualClock()
        let base = CountingResolver { _ in [] }
        let resolver = CachingResolver(base: base, clock: clock)
        #expect(await resolver.addresses(of: "gone.example").isEmpty)
        #expect(await resolver.addresses(of: "gone.example").isEmpty)
        #expect(base.calls == 1)
        _ = clock.advance(by: .milliseconds(1_001))
        _ = await resolver.addresses(of: "gone.example")
        #expect(base.calls == 2, "a failed lookup is retried after 1 s")
    }

    @Test func literalsAreNotLookedUp() async {
        let base = CountingResolver { _ in [] }
        let resolver = CachingResolver(base: base, clock: ManualClock())
        #expect(await resolver.addresses(of: "10.1.2.3") == [IPAddress("10.1.2.3")!])
        #expect(await resolver.addresses(of: "::1") == [IPAddress("::1")!])
        #expect(base.calls == 0)
    }

    @Test func concurrentLookupsOfOneHostAskOnce() async {
        let gate = Gate()
        let base = CountingResolver { _ in
            await gate.wait()
            return [IPAddress("192.0.2.8")!]
        }
        let resolver = CachingResolver(base: base, clock: ManualClock())
        let answers = await withTaskGroup(of: [IPAddress].self) { group in
            for _ in 0..<16 { group.addTask { await resolver.addresses(of: "busy.example") } }
            // Whether the others arrive before or after the answer, they wait for this lookup or find its answer.
            await base.firstCall.wait()
            gate.open()
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 16)
        #expect(answers.allSatisfy { $0 == [IPAddress("192.0.2.8")!] })
        #expect(base.calls == 1)
    }

    @Test func beyondItsCapacityTheCacheStartsOver() async {
        let base = CountingResolver { _ in [IPAddress("192.0.2.9")!] }
        let resolver = CachingResolver(base: base, configuration: .init(capacity: 2), clock: ManualClock())
        for host in ["a.example", "b.example", "c.example"] { _ = await resolver.addresses(of: host) }
        #expect(base.calls == 3)
        _ = await resolver.addresses(of: "c.example")
        #expect(base.calls == 3, "the newest answer is kept")
        _ = await resolver.addresses(of: "a.example")
        #expect(base.calls == 4, "older answers were dropped when the cache was full")
    }
}

/// A resolver that answers with `answer` and counts its calls; `firstCall` is raised when the first one starts.
private final class CountingResolver: HostResolving {
    let firstCall = WakeSignal()
    private let count = Mutex(0)
    private let answer: @Sendable (String) async -> [IPAddress]

    init(answer: @escaping @Sendable (String) async -> [IPAddress]) {
        self.answer = answer
    }

    var calls: Int { count.withLock { $0 } }

    func addresses(of host: String) async -> [IPAddress] {
        count.withLock { $0 += 1 }
        firstCall.signal()
        return await answer(host)
    }
}

/// Holds every waiter until opened, and lets later ones through at once.
private final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let passes = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if passes { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
