import Histogram

/// Drives the measuring phases against servers that are up, in an order that keeps them apart:
/// the baseline goes first in each ingest phase (it leaves no work behind), and Hookline's deliveries
/// are allowed to catch up between phases so one phase's backlog does not colour the next.
struct PhaseRunner: Sendable {
    /// Sizes and switches.
    let plan: BenchPlan
    /// Hookline, with its endpoint pointing at `receiver`.
    let hookline: BenchTarget
    /// What Hookline acknowledged.
    let ledger: MessageLedger
    /// The reference server, unless `--no-baseline`.
    let baseline: BenchTarget?
    /// Where deliveries arrive.
    let receiver: Receiver

    /// Runs phases a–g and the audit, filling in `report`.
    func run(into report: inout BenchReport) async {
        // Messages a catch-up wait gave up on. Later waits do not wait for them again (one lost message
        // must not cost every phase a full timeout); the final wait (f) gives them one more chance.
        var overdue: Set<String> = []

        try? await Task.sleep(for: .seconds(1))
        report.memory.hooklineIdle = hookline.memory()
        report.memory.baselineIdle = baseline?.memory()

        Console.progress("first delivery")
        report.startup.firstDeliveryMs = await firstDelivery()
        let delivers = report.startup.firstDeliveryMs != nil
        if !delivers {
            report.problems.append("no delivery reached the receiver within 10 s of an idle message")
        }
        let catchUp: Duration = delivers ? .seconds(plan.drainTimeoutSeconds) : .zero

        Console.progress("warm-up")
        let warmup = ClosedLoopLoad(concurrency: plan.concurrency, duration: .seconds(plan.warmupSeconds), maxRequests: 50_000)
        for target in [baseline, hookline].compactMap({ $0 }) {
            _ = await warmup.run(against: target)
        }
        overdue.formUnion(await catchUpDeliveries(within: catchUp, excluding: overdue).missing)

        // a. Saturated ingest (and c. the deliveries it caused).
        let saturatedLoad = ClosedLoopLoad(
            concurrency: plan.concurrency,
            duration: .seconds(plan.saturatedSeconds),
            maxRequests: plan.saturatedMaxRequests
        )
        var baselineSaturated: LoadResult?
        if let baseline {
            Console.progress("a. saturated ingest, baseline, \(plan.concurrency) in flight")
            baselineSaturated = await saturatedLoad.run(against: baseline)
        }
        Console.progress("a. saturated ingest, hookline, \(plan.concurrency) in flight")
        let saturated = await saturatedLoad.run(against: hookline)
        let backlogAfterSaturated = await catchUpDeliveries(within: .zero, excluding: overdue).missing.count
        Console.progress("   waiting for \(backlogAfterSaturated) deliveries to catch up")
        let afterSaturated = await catchUpDeliveries(within: catchUp, excluding: overdue)
        overdue.formUnion(afterSaturated.missing)

        // b. Open-loop ingest at fixed rates.
        var openLoop: [(rate: Double, hookline: LoadResult, skipped: Int, startLag: Histogram<UInt64>, baseline: LoadResult?)] = []
        for rate in plan.rates {
            let load = OpenLoopLoad(rate: rate, duration: .seconds(plan.rateSeconds), maxInFlight: plan.maxInFlight)
            var baselineResult: LoadResult?
            if let baseline {
                Console.progress("b. open loop \(Int(rate))/s, baseline")
                baselineResult = await load.run(against: baseline).result
            }
            Console.progress("b. open loop \(Int(rate))/s, hookline")
            let (result, skipped, startLag) = await load.run(against: hookline)
            overdue.formUnion(await catchUpDeliveries(within: catchUp, excluding: overdue).missing)
            openLoop.append((rate, result, skipped, startLag, baselineResult))
        }

        // c. Drain: a backlog ingested as fast as possible, then delivered.
        Console.progress("c. drain: ingesting \(plan.backlog) messages")
        let drainLoad = ClosedLoopLoad(concurrency: plan.concurrency, duration: .seconds(plan.backlogIngestSeconds), maxRequests: plan.backlog)
        let drain = await drainLoad.run(against: hookline)
        let backlogAtIngestEnd = await catchUpDeliveries(within: .zero, excluding: overdue).missing.count
        Console.progress("   waiting for \(backlogAtIngestEnd) deliveries")
        overdue.formUnion(await catchUpDeliveries(within: catchUp, excluding: overdue).missing)

        // g. The event stream, if there is one.
        Console.progress("g. event stream")
        report.stream = await StreamProbe(api: hookline.api, target: hookline, streams: plan.streams).run()

        // f. Every acknowledged message delivered.
        Console.progress("f. waiting for the last deliveries")
        let final = await catchUpDeliveries(within: delivers ? .seconds(plan.drainTimeoutSeconds) : .seconds(5))
        report.memory.hooklineAfter = hookline.memory()
        report.memory.baselineAfter = baseline?.memory()

        let audit = DeliveryAudit(ledger: ledger, log: receiver.log)
        report.saturated = .init(
            concurrency: plan.concurrency,
            hookline: .init(saturated),
            baseline: baselineSaturated.map(BenchReport.Ingest.init)
        )
        report.openLoop = openLoop.map { phase in
            let (endToEnd, undelivered) = audit.endToEnd(seqs: phase.hookline.seqs)
            return .init(
                offeredRate: phase.rate,
                hookline: .init(phase.hookline),
                skipped: phase.skipped,
                startLag: LatencySummary(phase.startLag),
                endToEnd: LatencySummary(endToEnd),
                undelivered: undelivered,
                baseline: phase.baseline.map(BenchReport.Ingest.init)
            )
        }
        report.delivery = .init(
            duringSaturatedPerSecond: audit.arrivalRate(from: saturated.started, to: saturated.finished),
            backlogAfterSaturated: backlogAfterSaturated,
            backlogClearedSeconds: afterSaturated.missing.isEmpty ? afterSaturated.waited.inSeconds : nil,
            drain: Self.drainFigures(drain, backlogAtIngestEnd: backlogAtIngestEnd, audit: audit)
        )
        let lost = audit.lost
        report.integrity = .init(
            acknowledged: audit.acknowledgements.count,
            delivered: audit.acknowledgements.count - lost,
            lost: lost,
            duplicates: audit.duplicates,
            mismatched: audit.mismatched,
            unidentified: audit.unidentified,
            waitedSeconds: final.waited.inSeconds
        )
        if lost > 0 { report.problems.append("\(lost) acknowledged messages never arrived") }
        if audit.mismatched > 0 { report.problems.append("\(audit.mismatched) deliveries carried another message's payload") }
    }

    /// Sends one message to an idle Hookline and times its delivery, in milliseconds.
    private func firstDelivery() async -> Double? {
        let sentAt = ContinuousClock.now
        guard case let .accepted(messageID) = await hookline.sendMessage(sentAt: sentAt) else { return nil }
        let missing = await receiver.log.waitForMessages([messageID], until: sentAt + .seconds(10))
        guard missing.isEmpty,
              let arrival = receiver.log.deliveries(from: 0).first(where: { $0.messageID == messageID })?.arrival
        else { return nil }
        return sentAt.duration(to: arrival).inSeconds * 1000
    }

    /// Waits up to `timeout` until every message acknowledged so far, except `overdue` ones, has arrived.
    ///
    /// - Returns: The ids still missing, and how long the wait took.
    private func catchUpDeliveries(
        within timeout: Duration,
        excluding overdue: Set<String> = []
    ) async -> (missing: Set<String>, waited: Duration) {
        let start = ContinuousClock.now
        let awaited = Set(ledger.snapshot().values.map(\.messageID)).subtracting(overdue)
        let missing = await receiver.log.waitForMessages(awaited, until: start + timeout)
        return (missing, start.duration(to: .now))
    }

    private static func drainFigures(_ drain: LoadResult, backlogAtIngestEnd: Int, audit: DeliveryAudit) -> BenchReport.Drain {
        let arrivals = audit.arrivals(seqs: drain.seqs)
        var figures = BenchReport.Drain(
            messages: drain.tally.accepted,
            ingestSeconds: drain.elapsed.inSeconds,
            backlogAtIngestEnd: backlogAtIngestEnd,
            complete: arrivals.count == drain.tally.accepted
        )
        guard let last = arrivals.last else { return figures }
        let total = drain.started.duration(to: last).inSeconds
        figures.totalSeconds = total
        figures.deliveriesPerSecond = total > 0 ? Double(arrivals.count) / total : nil
        let tail = drain.finished.duration(to: last).inSeconds
        let tailArrivals = arrivals.count { $0 > drain.finished }
        figures.tailDeliveriesPerSecond = tail > 0 && tailArrivals > 0 ? Double(tailArrivals) / tail : nil
        return figures
    }
}
