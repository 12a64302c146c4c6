/// Saturated ingest: a fixed number of workers, each sending its next message as soon as the previous
/// one is answered. This finds the throughput ceiling; its latencies are those of a full queue.
struct ClosedLoopLoad: Sendable {
    /// Requests in flight at any time.
    var concurrency: Int
    /// Time limit; no request starts after it.
    var duration: Duration
    /// Count limit.
    var maxRequests: Int

    /// Runs the load and returns once every worker has stopped.
    func run(against target: BenchTarget) async -> LoadResult {
        let clock = ContinuousClock()
        let budget = RequestBudget(maxRequests)
        let firstSeq = target.sequence.watermark
        let cpu = CPUSample.take(serverPID: target.pid)
        let started = clock.now
        let deadline = started + duration

        let tally = await withTaskGroup(of: LoadTally.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var tally = LoadTally()
                    while clock.now < deadline, budget.take() {
                        let start = clock.now
                        let outcome = await target.sendMessage(sentAt: start)
                        tally.record(outcome, after: start.duration(to: clock.now))
                    }
                    return tally
                }
            }
            return await group.reduce(into: LoadTally()) { $0.merge($1) }
        }
        return LoadResult(
            tally: tally,
            started: started,
            finished: clock.now,
            seqs: firstSeq..<target.sequence.watermark,
            cpu: cpu.spent(until: .take(serverPID: target.pid))
        )
    }
}
