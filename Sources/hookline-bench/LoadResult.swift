/// What one load phase against one target produced, with when it ran and which messages it sent.
struct LoadResult: Sendable {
    /// Counts and latencies.
    var tally: LoadTally
    /// When the first request was (due to be) started.
    var started: ContinuousClock.Instant
    /// When the last request completed.
    var finished: ContinuousClock.Instant
    /// The `seq` numbers this phase used: its messages are exactly these.
    var seqs: Range<Int>
    /// CPU the server and the bench spent during the phase.
    var cpu: CPUSample

    /// Wall time from first start to last completion.
    var elapsed: Duration { finished - started }

    /// Accepted requests per second of wall time.
    var throughput: Double {
        let seconds = elapsed.inSeconds
        return seconds > 0 ? Double(tally.accepted) / seconds : 0
    }
}
