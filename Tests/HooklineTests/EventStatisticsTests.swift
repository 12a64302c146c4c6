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

/// The status window's per-second tally: fed in id order, pruned by the window, no I/O.
@Suite struct EventTallyTests {
    private static func success(_ id: Int64, atMs: Int64, latency: Int64, first: Bool = true) -> EventTally.Entry {
        EventTally.Entry(id: id, kind: .deliverySucceeded, createdAtMs: atMs, latencyMs: latency, firstAttempt: first)
    }

    @Test func countsTheWindowAndForgetsWhatLeavesIt() {
        var tally = EventTally()
        tally.add(
            [
                Self.success(1, atMs: 500, latency: 10), EventTally.Entry(id: 2, kind: .attemptMade, createdAtMs: 1_200),
                Self.success(3, atMs: 2_100, latency: 30, first: false), Self.success(4, atMs: 2_900, latency: 10),
            ], sinceMs: 0)
        #expect(tally.lastId == 4)
        #expect(tally.statistics.counts == [.deliverySucceeded: 3, .attemptMade: 1])
        #expect(tally.statistics.timeToSuccessMs == .init(count: 3, p50: 10, p95: 30, p99: 30))
        #expect(tally.statistics.firstAttemptMs == .init(count: 2, p50: 10, p95: 10, p99: 10))
        // The window moves to 2.5 s: the seconds before the one holding it go, the edge second stays whole.
        tally.prune(beforeMs: 2_500)
        #expect(tally.statistics.counts == [.deliverySucceeded: 2])
        #expect(tally.statistics.timeToSuccessMs == .init(count: 2, p50: 10, p95: 30, p99: 30))
    }

    @Test func aPageReadTwiceCountsOnceAndOldEventsAreSkipped() {
        var tally = EventTally()
        let page = [Self.success(7, atMs: 10_000, latency: 5), Self.success(8, atMs: 10_400, latency: 6)]
        tally.add(page, sinceMs: 9_000)
        tally.add(page, sinceMs: 9_000)
        #expect(tally.statistics.timeToSuccessMs?.count == 2, "the same ids again add nothing")
        tally.add([Self.success(9, atMs: 3_000, latency: 99)], sinceMs: 9_000)
        #expect(tally.lastId == 9, "an event older than the window still moves the read on")
        #expect(tally.statistics.timeToSuccessMs == .init(count: 2, p50: 5, p95: 6, p99: 6), "but is not counted")
    }
}
