import Histogram

/// Phase 4: latency at a fixed offered rate. wrk paces every thread against a fixed schedule
/// (`delay()` in ``WrkScript``) — open-loop as long as a connection is free when a slot comes up;
/// with every connection busy the next request waits, as in any closed loop. Each request carries
/// its send time (µs, CLOCK_REALTIME) in `eventId`; the 202 echoes it, and nginx's log gives the
/// arrival, so end-to-end = arrival − send.
struct LatencyPhase {
    /// The phase's figures.
    struct Figures: Codable, Sendable {
        /// Messages per second offered.
        var offeredPerSecond: Double
        /// 2xx answers per second achieved.
        var achievedPerSecond: Double
        /// wrk's ingest acknowledgement latency (target p99 ≤ 5 ms).
        var ack: WrkResult.Latency
        /// Non-2xx answers.
        var non2xx: Int
        /// Send → arrival at nginx (targets p50 ≤ 2 ms, p99 ≤ 10 ms). nginx logs arrivals truncated to the
        /// millisecond, so each sample adds 0.5 ms to the truncated arrival.
        var endToEnd: LatencySummary
        /// Acknowledged messages that had not arrived when the wait ended.
        var undelivered: Int
    }

    /// Runs the paced load against `applicationID` (one endpoint on nginx).
    func run(_ context: PhaseContext, applicationID: String) async throws -> Figures {
        let plan = context.plan
        Console.progress("4. latency: \(Int(plan.latencyRate))/s offered for \(Int(plan.latencySeconds)) s")
        let outcome = try await context.wrk.run(
            .init(
                name: "4-latency",
                url: context.messageURL(applicationID),
                apiKey: context.hookline.apiKey,
                duration: .seconds(plan.latencySeconds),
                ratePerThread: plan.latencyRate / Double(plan.threads),
                stamp: true
            )
        )
        let ids = outcome.acknowledged.map(\.id)
        context.recordHookline(count: outcome.result.acked, delivered: ids)
        let wait = await context.catchUp(ids)

        var histogram = Histogram<UInt64>.latency()
        for acknowledged in outcome.acknowledged {
            guard let sent = acknowledged.sentUs, let arrival = context.arrivals.firstArrival[acknowledged.id] else { continue }
            let arrivalUs = Int64((arrival * 1000).rounded()) * 1000 + 500
            histogram.record(.microseconds(max(arrivalUs - sent, 1)))
        }
        return Figures(
            offeredPerSecond: plan.latencyRate,
            achievedPerSecond: outcome.result.ackedPerSecond,
            ack: outcome.result.latency,
            non2xx: outcome.result.non2xx,
            endToEnd: LatencySummary(histogram),
            undelivered: wait.missing
        )
    }
}
