import Synchronization

/// A shareable source of random bits, injected like the clock: the system's generator by default, a seeded one in tests.
public struct RandomSource: Sendable {
    private let nextBits: @Sendable () -> UInt64

    /// The operating system's cryptographically secure generator.
    public static let system = RandomSource {
        var generator = SystemRandomNumberGenerator(); return generator.next()
    }

    /// A source that draws from `generator`, shared by every copy (calls are serialised).
    public init(_ generator: some RandomNumberGenerator & Sendable) {
        let state = Mutex(generator)
        nextBits = { state.withLock { $0.next() } }
    }

    /// A source that draws from `next`.
    public init(next: @escaping @Sendable () -> UInt64) {
        nextBits = next
    }

    /// A generator view of this source, to pass as `using:` to the standard library's random APIs.
    public func generator() -> Generator { Generator(source: self) }

    /// A `RandomNumberGenerator` drawing from a `RandomSource`.
    public struct Generator: RandomNumberGenerator {
        let source: RandomSource

        /// The next 64 random bits.
        public mutating func next() -> UInt64 { source.nextBits() }
    }
}
