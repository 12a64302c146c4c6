import Foundation
import Synchronization

/// A source of wall-clock time that can also suspend until a deadline.
package protocol HooklineClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Suspends until `deadline` has passed; throws `CancellationError` when cancelled.
    func sleep(until deadline: Date) async throws
}

/// The real clock: `Date()` and `Task.sleep`.
package struct SystemClock: HooklineClock {
    /// Creates the system clock.
    package init() {}

    /// The current time.
    package func now() -> Date { Date() }

    /// Sleeps until `deadline`.
    package func sleep(until deadline: Date) async throws {
        let interval = deadline.timeIntervalSinceNow
        guard interval > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int64((interval * 1000).rounded(.up))))
    }
}

extension Date {
    /// Milliseconds since the Unix epoch, the form timestamps take in storage.
    package var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Creates a date from milliseconds since the Unix epoch.
    package init(millisecondsSince1970 ms: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(ms) / 1000)
    }

    /// This date moved by a Swift `Duration`.
    package func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.timeInterval)
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    package var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}

/// A shareable source of random bits, injected like the clock: the system's generator by default, a seeded one in tests.
package struct RandomSource: Sendable {
    private let nextBits: @Sendable () -> UInt64

    /// The operating system's cryptographically secure generator.
    package static let system = RandomSource {
        var generator = SystemRandomNumberGenerator(); return generator.next()
    }

    /// A source that draws from `generator`, shared by every copy (calls are serialised).
    package init(_ generator: some RandomNumberGenerator & Sendable) {
        let state = Mutex(generator)
        nextBits = { state.withLock { $0.next() } }
    }

    /// A source that draws from `next`.
    package init(next: @escaping @Sendable () -> UInt64) {
        nextBits = next
    }

    /// A generator view of this source, to pass as `using:` to the standard library's random APIs.
    package func generator() -> Generator { Generator(source: self) }

    /// A `RandomNumberGenerator` drawing from a `RandomSource`.
    package struct Generator: RandomNumberGenerator {
        let source: RandomSource

        /// The next 64 random bits.
        package mutating func next() -> UInt64 { source.nextBits() }
    }
}

/// A small seeded random number generator (SplitMix64): repeatable sequences for tests and generated histories.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
