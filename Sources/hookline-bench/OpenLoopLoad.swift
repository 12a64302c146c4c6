import Histogram
import Synchronization

/// Ingest at a fixed offered rate: each request starts on its schedule whether or not earlier ones were
/// answered, and its latency counts from the scheduled instant. A server that stalls therefore shows
/// queueing in the percentiles rather than a politely slower client (no coordinated omission).
struct OpenLoopLoad: Sendable {
    /// Requests per second.
    var rate: Double
    /// Length of the schedule; `rate × duration` requests in all.
    var duration: Duration
    /// Safety valve: schedule slots that find this many requests outstanding are skipped and counted.
    var maxInFlight: Int

    /// Runs the schedule and returns once every started request has finished.
    ///
    /// - Returns: The phase's result; how many slots were skipped; and how late the bench itself started
    ///   requests against their schedule (its own contribution to the measured latency).
    func run(against target: BenchTarget) async -> (result: LoadResult, skipped: Int, startLag: Histogram<UInt64>) {
        let clock = ContinuousClock()
        let state = State()
        let count = Int(rate * duration.inSeconds)
        let firstSeq = target.sequence.watermark
        let cpu = CPUSample.take(serverPID: target.pid)
        let started = clock.now + .milliseconds(5)
        var skipped = 0
        var startLag = Histogram<UInt64>.latency()

        await withDiscardingTaskGroup { group in
            for index in 0..<count {
                let due = started + .nanoseconds(Int64((Double(index) * 1e9 / rate).rounded()))
                try? await clock.sleep(until: due)
                startLag.record(due.duration(to: clock.now))
                guard state.enter(limit: maxInFlight) else {
                    skipped += 1
                    continue
                }
                group.addTask {
                    let outcome = await target.sendMessage(sentAt: due)
                    state.leave(outcome, after: due.duration(to: clock.now))
                }
            }
        }
        let result = LoadResult(
            tally: state.tally,
            started: started,
            finished: clock.now,
            seqs: firstSeq..<target.sequence.watermark,
            cpu: cpu.spent(until: .take(serverPID: target.pid))
        )
        return (result, skipped, startLag)
    }
}

extension OpenLoopLoad {
    /// What the schedule's child tasks share: the outstanding count and the tally.
    private final class State: Sendable {
        private let outstanding = Atomic<Int>(0)
        private let shared = Mutex(LoadTally())

        /// Counts a request in, unless `limit` are already outstanding.
        func enter(limit: Int) -> Bool {
            guard outstanding.load(ordering: .relaxed) < limit else { return false }
            outstanding.add(1, ordering: .relaxed)
            return true
        }

        /// Counts a request out and tallies it.
        func leave(_ outcome: MessageOutcome, after elapsed: Duration) {
            shared.withLock { $0.record(outcome, after: elapsed) }
            outstanding.subtract(1, ordering: .relaxed)
        }

        /// The tally so far.
        var tally: LoadTally {
            shared.withLock { $0 }
        }
    }
}
