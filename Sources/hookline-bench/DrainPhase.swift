import Foundation

/// Phase 2: drain a backlog that becomes due all at once. wrk ingests `backlog` messages whose
/// `deliverAt` lies a few seconds ahead (past the expected end of ingest); from that instant Hookline
/// delivers them all to nginx, and the delivery log gives the rate.
struct DrainPhase {
    /// The phase's figures.
    struct Figures: Codable, Sendable {
        /// Messages acknowledged.
        var backlog: Int
        /// Time wrk took to ingest them, seconds.
        var ingestSeconds: Double
        /// Seconds from the start of ingest to `deliverAt`.
        var dueAfterSeconds: Double
        /// Whether ingest finished before the messages became due (if not, delivery overlapped ingest).
        var ingestBeforeDue: Bool
        /// `deliverAt` to the first arrival, ms.
        var firstArrivalAfterDueMs: Double?
        /// First to last arrival, seconds.
        var drainSeconds: Double?
        /// Unique arrivals ÷ first-to-last seconds (target ≥ 20 000).
        var deliveriesPerSecond: Double?
        /// Hookline's CPU time from due to the last arrival, per delivery, µs (target ≤ 50).
        var cpuUsPerDelivery: Double?
        /// Messages of the backlog that arrived within the wait.
        var delivered: Int
    }

    /// Ingests the backlog into `applicationID` (one endpoint on nginx) and waits for it to drain.
    func run(_ context: PhaseContext, applicationID: String, ingestRate: Double) async throws -> Figures {
        let plan = context.plan
        // Due after ingest at 2/3 of phase 1's rate would have finished, plus slack for the scheduler.
        let expectedIngest = Double(plan.backlog) / max(ingestRate * 2 / 3, 500)
        let started = Date()
        let due = Date(timeIntervalSince1970: (started.timeIntervalSince1970 + min(expectedIngest + 2, 120)).rounded(.up))
        let deliverAt = due.formatted(Date.ISO8601FormatStyle())
        Console.progress("2. drain: ingesting \(plan.backlog) messages due at \(deliverAt)")
        let outcome = try await context.wrk.run(
            .init(
                name: "2-drain",
                url: context.messageURL(applicationID),
                apiKey: context.hookline.apiKey,
                duration: .seconds(max(expectedIngest * 4, 30)),
                quotaPerThread: (plan.backlog + plan.threads - 1) / plan.threads,
                deliverAt: deliverAt
            )
        )
        let ids = outcome.acknowledged.map(\.id)
        context.recordHookline(count: outcome.result.acked, delivered: ids)
        let ingestEnd = Date()
        if ingestEnd < due {
            try? await Task.sleep(for: .seconds(due.timeIntervalSince(ingestEnd) - 0.05))
        }
        let cpuBefore = PhaseContext.cpuSeconds(of: context.hooklinePID)
        Console.progress("2. drain: \(ids.count) messages due now")
        let wait = await context.catchUp(ids)
        let cpuAfter = PhaseContext.cpuSeconds(of: context.hooklinePID)

        let times = ids.compactMap { context.arrivals.firstArrival[$0] }.sorted()
        var figures = Figures(
            backlog: ids.count,
            ingestSeconds: outcome.finished - outcome.started,
            dueAfterSeconds: due.timeIntervalSince(started),
            ingestBeforeDue: ingestEnd <= due,
            delivered: times.count
        )
        guard let first = times.first, let last = times.last else { return figures }
        figures.firstArrivalAfterDueMs = (first - due.timeIntervalSince1970) * 1000
        let seconds = max(last - first, 0.001)
        figures.drainSeconds = seconds
        figures.deliveriesPerSecond = Double(times.count) / seconds
        if let cpuBefore, let cpuAfter, !times.isEmpty {
            figures.cpuUsPerDelivery = (cpuAfter - cpuBefore) * 1e6 / Double(times.count)
        }
        if wait.missing > 0 {
            Console.progress("   \(wait.missing) of the backlog still missing after \(Int(wait.seconds)) s")
        }
        return figures
    }
}
