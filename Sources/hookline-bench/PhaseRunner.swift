import Histogram

/// Drives the measuring phases against servers that are up, then audits the deliveries and fills in the
/// report. In each ingest phase the baseline goes first, as it leaves no work behind; between phases
/// Hookline's deliveries catch up (``DeliveryCatchUp``).
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

    /// Runs phases a–g and the audit (f), filling in `report`.
    func run(into report: inout BenchReport) async {
        try? await Task.sleep(for: .seconds(1))
        report.memory.hooklineIdle = hookline.memory()
        report.memory.baselineIdle = baseline?.memory()

        Console.progress("first delivery")
        report.startup.firstDeliveryMs = await firstDelivery().map { $0.inSeconds * 1000 }
        let delivers = report.startup.firstDeliveryMs != nil
        if !delivers {
            report.problems.append("no delivery reached the receiver within 10 s of an idle message")
        }
        var catchUp = DeliveryCatchUp(ledger: ledger, log: receiver.log, timeout: delivers ? .seconds(plan.drainTimeoutSeconds) : .zero)

        Console.progress("warm-up")
        let warmup = ClosedLoopLoad(concurrency: plan.concurrency, duration: .seconds(plan.warmupSeconds), maxRequests: 50_000)
        for target in [baseline, hookline].compactMap({ $0 }) {
            _ = await warmup.run(against: target)
        }
        _ = await catchUp.wait()

        let saturated = await runSaturated(&catchUp)
        let openLoop = await runOpenLoop(&catchUp)
        let drain = await runDrain(&catchUp)

        Console.progress("g. event stream")
        report.stream = await StreamProbe(api: hookline.api, target: hookline, streams: plan.streams).run()

        Console.progress("h. status and inbound acknowledgements")
        report.edge = await EdgeProbe(api: hookline.api, inboundDuration: .seconds(plan.rateSeconds)).run()

        Console.progress("f. waiting for the last deliveries")
        let finalWait = await catchUp.finalWait(within: delivers ? .seconds(plan.drainTimeoutSeconds) : .seconds(5))
        report.memory.hooklineAfter = hookline.memory()
        report.memory.baselineAfter = baseline?.memory()

        let audit = DeliveryAudit(ledger: ledger, log: receiver.log)
        report.saturated = saturated.report
        report.openLoop = openLoop.map { $0.report(audit: audit) }
        report.delivery = .init(
            duringSaturatedPerSecond: audit.arrivalRate(from: saturated.hookline.started, to: saturated.hookline.finished),
            backlogAfterSaturated: saturated.backlog,
            backlogClearedSeconds: saturated.backlogCleared?.inSeconds,
            drain: drain.report(audit: audit)
        )
        report.integrity = audit.integrity(waited: finalWait)
        if let integrity = report.integrity {
            if integrity.lost > 0 { report.problems.append("\(integrity.lost) acknowledged messages never arrived") }
            if integrity.mismatched > 0 { report.problems.append("\(integrity.mismatched) deliveries carried another message's payload") }
        }
    }

    /// Sends one message to an idle Hookline and times its delivery.
    private func firstDelivery() async -> Duration? {
        let sentAt = ContinuousClock.now
        guard case let .accepted(messageID) = await hookline.sendMessage(sentAt: sentAt) else { return nil }
        guard await receiver.log.waitForMessages([messageID], until: sentAt + .seconds(10)).isEmpty,
            let arrival = receiver.log.deliveries(from: 0).first(where: { $0.messageID == messageID })?.arrival
        else { return nil }
        return sentAt.duration(to: arrival)
    }

    // MARK: a. Saturated ingest

    private struct SaturatedRun {
        var hookline: LoadResult
        var baseline: LoadResult?
        var concurrency: Int
        var backlog: Int
        var backlogCleared: Duration?

        var report: BenchReport.Saturated {
            .init(concurrency: concurrency, hookline: .init(hookline), baseline: baseline.map(BenchReport.Ingest.init))
        }
    }

    private func runSaturated(_ catchUp: inout DeliveryCatchUp) async -> SaturatedRun {
        let load = ClosedLoopLoad(
            concurrency: plan.concurrency,
            duration: .seconds(plan.saturatedSeconds),
            maxRequests: plan.saturatedMaxRequests
        )
        var baselineResult: LoadResult?
        if let baseline {
            Console.progress("a. saturated ingest, \(baseline.name), \(plan.concurrency) in flight")
            baselineResult = await load.run(against: baseline)
        }
        Console.progress("a. saturated ingest, \(hookline.name), \(plan.concurrency) in flight")
        let result = await load.run(against: hookline)
        let backlog = await catchUp.backlog()
        Console.progress("   waiting for \(backlog) deliveries to catch up")
        let cleared = await catchUp.wait()
        return SaturatedRun(
            hookline: result,
            baseline: baselineResult,
            concurrency: plan.concurrency,
            backlog: backlog,
            backlogCleared: cleared
        )
    }

    // MARK: b. Open-loop ingest

    private struct OpenLoopRun {
        var rate: Double
        var hookline: LoadResult
        var skipped: Int
        var startLag: Histogram<UInt64>
        var baseline: LoadResult?

        func report(audit: DeliveryAudit) -> BenchReport.OpenLoop {
            let (endToEnd, undelivered) = audit.endToEnd(seqs: hookline.seqs)
            return .init(
                offeredRate: rate,
                hookline: .init(hookline),
                skipped: skipped,
                startLag: LatencySummary(startLag),
                endToEnd: LatencySummary(endToEnd),
                undelivered: undelivered,
                baseline: baseline.map(BenchReport.Ingest.init)
            )
        }
    }

    private func runOpenLoop(_ catchUp: inout DeliveryCatchUp) async -> [OpenLoopRun] {
        var runs: [OpenLoopRun] = []
        for rate in plan.rates {
            let load = OpenLoopLoad(rate: rate, duration: .seconds(plan.rateSeconds), maxInFlight: plan.maxInFlight)
            var baselineResult: LoadResult?
            if let baseline {
                Console.progress("b. open loop \(Int(rate))/s, \(baseline.name)")
                baselineResult = await load.run(against: baseline).result
            }
            Console.progress("b. open loop \(Int(rate))/s, \(hookline.name)")
            let (result, skipped, startLag) = await load.run(against: hookline)
            _ = await catchUp.wait()
            runs.append(OpenLoopRun(rate: rate, hookline: result, skipped: skipped, startLag: startLag, baseline: baselineResult))
        }
        return runs
    }

    // MARK: c. Drain

    private struct DrainRun {
        var ingest: LoadResult
        var backlogAtIngestEnd: Int

        func report(audit: DeliveryAudit) -> BenchReport.Drain {
            let arrivals = audit.arrivals(seqs: ingest.seqs)
            var figures = BenchReport.Drain(
                messages: ingest.tally.accepted,
                ingestSeconds: ingest.elapsed.inSeconds,
                backlogAtIngestEnd: backlogAtIngestEnd,
                complete: arrivals.count == ingest.tally.accepted
            )
            guard let last = arrivals.last else { return figures }
            let total = ingest.started.duration(to: last).inSeconds
            figures.totalSeconds = total
            figures.deliveriesPerSecond = total > 0 ? Double(arrivals.count) / total : nil
            let tail = ingest.finished.duration(to: last).inSeconds
            let tailArrivals = arrivals.count { $0 > ingest.finished }
            figures.tailDeliveriesPerSecond = tail > 0 && tailArrivals > 0 ? Double(tailArrivals) / tail : nil
            return figures
        }
    }

    private func runDrain(_ catchUp: inout DeliveryCatchUp) async -> DrainRun {
        Console.progress("c. drain: ingesting \(plan.backlog) messages")
        let load = ClosedLoopLoad(concurrency: plan.concurrency, duration: .seconds(plan.backlogIngestSeconds), maxRequests: plan.backlog)
        let ingest = await load.run(against: hookline)
        let backlog = await catchUp.backlog()
        Console.progress("   waiting for \(backlog) deliveries")
        _ = await catchUp.wait()
        return DrainRun(ingest: ingest, backlogAtIngestEnd: backlog)
    }
}
