/// Lets Hookline's deliveries catch up between phases, so one phase's backlog does not colour the next.
///
/// A wait that times out writes its missing messages off as overdue: later waits do not wait for them
/// again (one lost message must not cost every phase a full timeout), and the final wait gives every
/// message one more chance before the audit counts it lost.
struct DeliveryCatchUp: Sendable {
    /// What Hookline acknowledged.
    let ledger: MessageLedger
    /// What arrived.
    let log: DeliveryLog
    /// Longest wait; zero when Hookline is not delivering at all.
    let timeout: Duration

    private var overdue: Set<String> = []

    /// Waits for `ledger`'s messages to arrive in `log`, each wait at most `timeout`.
    init(ledger: MessageLedger, log: DeliveryLog, timeout: Duration) {
        self.ledger = ledger
        self.log = log
        self.timeout = timeout
    }

    /// Acknowledged messages not yet arrived, overdue ones aside.
    func backlog() async -> Int {
        await missing(within: .zero, excludingOverdue: true).count
    }

    /// Waits until every acknowledged message but the overdue ones has arrived, or `timeout` passes.
    ///
    /// - Returns: How long it took, or nil if it timed out.
    mutating func wait() async -> Duration? {
        let start = ContinuousClock.now
        let missing = await missing(within: timeout, excludingOverdue: true)
        overdue.formUnion(missing)
        return missing.isEmpty ? start.duration(to: .now) : nil
    }

    /// The last wait, for every acknowledged message, overdue ones included.
    ///
    /// - Returns: How long it took.
    func finalWait(within timeout: Duration) async -> Duration {
        let start = ContinuousClock.now
        _ = await missing(within: timeout, excludingOverdue: false)
        return start.duration(to: .now)
    }

    private func missing(within timeout: Duration, excludingOverdue: Bool) async -> Set<String> {
        var awaited = Set(ledger.snapshot().values.map(\.messageID))
        if excludingOverdue { awaited.subtract(overdue) }
        return await log.waitForMessages(awaited, until: .now + timeout)
    }
}
