/// Phase 3: sustained load. wrk flat out against an application with one endpoint on nginx; accepted
/// and delivered messages per second over the same window, then the time the backlog takes to clear.
struct SustainedPhase {
    /// The phase's figures.
    struct Figures: Codable, Sendable {
        /// Window length, seconds.
        var seconds: Double
        /// 2xx answers per second.
        var acceptedPerSecond: Double
        /// Arrivals at nginx per second within the window.
        var deliveredPerSecond: Double
        /// wrk's ingest latency.
        var latency: WrkResult.Latency
        /// Non-2xx answers.
        var non2xx: Int
        /// Hookline's CPU time per accepted message in the window (ingest and delivery), µs.
        var cpuUsPerMessage: Double?
        /// Acknowledged but not delivered when the window closed.
        var backlogAtEnd: Int
        /// Time the rest took to arrive, seconds.
        var catchUpSeconds: Double
        /// Messages still missing after the catch-up wait.
        var missingAfterCatchUp: Int
        /// Delivered ÷ accepted (target ≥ 0.9 at ≥ 10 000 accepted/s).
        var ratio: Double
    }

    /// Runs the load against `applicationID` and waits for its deliveries.
    func run(_ context: PhaseContext, applicationID: String) async throws -> Figures {
        Console.progress("3. sustained: wrk flat out, deliveries to nginx")
        let before = PhaseContext.cpuSeconds(of: context.hooklinePID)
        let outcome = try await context.wrk.run(
            .init(
                name: "3-sustained",
                url: context.messageURL(applicationID),
                apiKey: context.hookline.apiKey,
                duration: .seconds(context.plan.sustainedSeconds)
            )
        )
        let after = PhaseContext.cpuSeconds(of: context.hooklinePID)
        let ids = outcome.acknowledged.map(\.id)
        context.recordHookline(count: outcome.result.acked, delivered: ids)
        // Let nginx flush its buffer (every 200 ms) before counting the window.
        try? await Task.sleep(for: .milliseconds(400))
        context.arrivals.refresh()
        let windowEnd = outcome.started + outcome.result.seconds
        let seconds = outcome.result.seconds
        let delivered = context.arrivals.count(from: outcome.started, to: windowEnd)
        let backlog = ids.count { id in context.arrivals.firstArrival[id].map { $0 >= windowEnd } ?? true }
        Console.progress("   waiting for a backlog of \(backlog) deliveries")
        let wait = await context.catchUp(ids)
        let cpu = before.flatMap { start in after.map { $0 - start } }
        return Figures(
            seconds: seconds,
            acceptedPerSecond: outcome.result.ackedPerSecond,
            deliveredPerSecond: seconds > 0 ? Double(delivered) / seconds : 0,
            latency: outcome.result.latency,
            non2xx: outcome.result.non2xx,
            cpuUsPerMessage: cpu.flatMap { outcome.result.acked > 0 ? $0 * 1e6 / Double(outcome.result.acked) : nil },
            backlogAtEnd: backlog,
            catchUpSeconds: wait.seconds,
            missingAfterCatchUp: wait.missing,
            ratio: outcome.result.acked > 0 ? Double(delivered) / Double(outcome.result.acked) : 0
        )
    }
}
