import Foundation
import Synchronization

/// Computes the status report from its parts in parallel, each bounded by a timeout, and caches it.
///
/// A part that throws or is slower than `partTimeout` is reported as unavailable; the rest still
/// answer. Within `ttl` the cached report is returned; concurrent callers past it share one
/// computation (single-flight).
public final class StatusBoard<Clock: HooklineClock>: Sendable {
    /// How long a report is reused and how long a part may take.
    public struct Configuration: Sendable {
        /// How long a computed report is served from the cache.
        public var ttl: Duration
        /// How long one part may take before it is reported unavailable.
        public var partTimeout: Duration

        /// Creates a configuration; defaults: 1 s cache, 250 ms per part.
        public init(ttl: Duration = .seconds(1), partTimeout: Duration = .milliseconds(250)) {
            self.ttl = ttl
            self.partTimeout = partTimeout
        }
    }

    private struct State {
        var cached: StatusReport?
        var inFlight: Task<StatusReport, Never>?
        var computations = 0
    }

    private let configuration: Configuration
    private let parts: [StatusPart]
    private let clock: Clock
    private let state = Mutex(State())

    /// Creates a board over `parts`.
    public init(configuration: Configuration = .init(), parts: [StatusPart], clock: Clock) {
        self.configuration = configuration
        self.parts = parts
        self.clock = clock
    }

    /// How many times the report was computed (not served from the cache).
    public var computations: Int { state.withLock { $0.computations } }

    /// The current report: cached while fresh, otherwise computed once for all concurrent callers.
    public func report() async -> StatusReport {
        let now = clock.now()
        let task = state.withLock { state -> Task<StatusReport, Never> in
            if let inFlight = state.inFlight { return inFlight }
            if let cached = state.cached, now < cached.generatedAt.adding(configuration.ttl) {
                return Task { cached }
            }
            state.computations += 1
            let task = Task { await self.compute() }
            state.inFlight = task
            return task
        }
        return await task.value
    }

    private func compute() async -> StatusReport {
        let generatedAt = clock.now()
        var values: [String: JSONValue] = [:]
        await withTaskGroup(of: (String, JSONValue).self) { group in
            for part in parts {
                group.addTask { (part.name, await self.read(part)) }
            }
            for await (name, value) in group { values[name] = value }
        }
        let report = StatusReport(generatedAt: generatedAt, parts: values)
        state.withLock { state in
            state.cached = report
            state.inFlight = nil
        }
        return report
    }

    private func read(_ part: StatusPart) async -> JSONValue {
        let deadline = clock.now().adding(configuration.partTimeout)
        return await withTaskGroup(of: JSONValue?.self) { group in
            group.addTask {
                do {
                    return try await part.read()
                } catch {
                    return StatusReport.unavailable("\(error)")
                }
            }
            group.addTask {
                do {
                    try await self.clock.sleep(until: deadline)
                    return StatusReport.unavailable("timed out")
                } catch {
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? StatusReport.unavailable("cancelled")
        }
    }
}
