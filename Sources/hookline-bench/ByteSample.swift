/// The byte-identity sample and the idle first delivery, with the bench's own client and the Swift
/// ``Receiver``, which checks each delivered body byte for byte against what was sent (nginx cannot).
struct ByteSample {
    /// Sizes.
    let plan: BenchPlan
    /// An app whose endpoint is the receiver.
    let target: BenchTarget
    /// What the target acknowledged.
    let ledger: MessageLedger
    /// The receiver.
    let receiver: Receiver

    /// Times one message on an idle server, then sends the sample and audits it into `report`.
    func run(into report: inout BenchReport) async {
        Console.progress("first delivery, idle")
        report.startup.firstDeliveryMs = await firstDelivery().map { $0.inSeconds * 1000 }
        if report.startup.firstDeliveryMs == nil {
            report.problems.append("no delivery reached the Swift receiver within 10 s of an idle message")
        }
        Console.progress("byte-identity sample: \(plan.byteSample) messages")
        let load = ClosedLoopLoad(concurrency: 8, duration: .seconds(30), maxRequests: plan.byteSample - 1)
        _ = await load.run(against: target)
        var catchUp = DeliveryCatchUp(ledger: ledger, log: receiver.log, timeout: .seconds(plan.drainTimeoutSeconds))
        let waited = await catchUp.wait() ?? .seconds(plan.drainTimeoutSeconds)
        let integrity = DeliveryAudit(ledger: ledger, log: receiver.log).integrity(waited: waited)
        report.byteSample = integrity
        if integrity.lost > 0 { report.problems.append("byte sample: \(integrity.lost) acknowledged messages never arrived") }
        if integrity.duplicates > 0 { report.problems.append("byte sample: \(integrity.duplicates) duplicate deliveries") }
        if integrity.mismatched > 0 { report.problems.append("byte sample: \(integrity.mismatched) deliveries carried another message's payload") }
    }

    /// Sends one message to an idle Hookline and times its delivery.
    private func firstDelivery() async -> Duration? {
        let sentAt = ContinuousClock.now
        guard case let .accepted(messageID) = await target.sendMessage(sentAt: sentAt) else { return nil }
        guard await receiver.log.waitForMessages([messageID], until: sentAt + .seconds(10)).isEmpty,
            let arrival = receiver.log.deliveries(from: 0).first(where: { $0.messageID == messageID })?.arrival
        else { return nil }
        return sentAt.duration(to: arrival)
    }
}
