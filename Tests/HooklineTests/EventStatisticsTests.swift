import HooklineCore
import Testing

/// The status window's latency percentiles from grouped successes: nearest rank, no I/O.
@Suite struct EventStatisticsTests {
    @Test func groupedSuccessesGiveNearestRankPercentiles() {
        // 100 successes: 50 at 10 ms (40 of them first attempts), 45 at 20 ms, 4 at 30 ms, 1 at 900 ms; given out of order.
        let stats = EventStatistics(
            counts: [.deliverySucceeded: 100],
            successes: [
                .init(latencyMs: 30, count: 4, firstAttempts: 0), .init(latencyMs: 10, count: 50, firstAttempts: 40),
                .init(latencyMs: 900, count: 1, firstAttempts: 1), .init(latencyMs: 20, count: 45, firstAttempts: 0),
            ])
        #expect(stats.timeToSuccessMs == .init(count: 100, p50: 10, p95: 20, p99: 30))
        #expect(stats.firstAttemptMs == .init(count: 41, p50: 10, p95: 10, p99: 900))
    }

    @Test func matchesSortingEveryValue() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let values = (0..<Int.random(in: 1...300, using: &generator)).map { _ in Int64.random(in: 0...40, using: &generator) }
            let sorted = values.sorted()
            func nearest(_ fraction: Double) -> Int64 { sorted[EventStatistics.Percentiles.rank(fraction, of: sorted.count)] }
            let groups = Dictionary(grouping: values, by: { $0 }).map { (value: $0.key, count: $0.value.count) }.sorted { $0.value < $1.value }
            let percentiles = EventStatistics.Percentiles(groups)
            #expect(percentiles == .init(count: values.count, p50: nearest(0.5), p95: nearest(0.95), p99: nearest(0.99)))
        }
    }

    @Test func noSuccessesGiveNoPercentiles() {
        let stats = EventStatistics(counts: [:], successes: [.init(latencyMs: 5, count: 2, firstAttempts: 0)])
        #expect(stats.firstAttemptMs == nil, "no first-attempt success")
        #expect(stats.timeToSuccessMs?.count == 2)
        #expect(EventStatistics(counts: [:], successes: []).timeToSuccessMs == nil)
    }
}
