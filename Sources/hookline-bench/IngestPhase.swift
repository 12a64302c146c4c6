/// Phase 1: ingest alone. wrk, flat out, against an application with no endpoint; the same load against
/// the Hummingbird responder and against nginx answering 202, for reference; then Hookline again with an
/// idempotency key on every request, as the Svix SDKs send them.
struct IngestPhase {
    /// One server's figures.
    struct Server: Codable, Sendable {
        /// 2xx answers per second.
        var requestsPerSecond: Double
        /// wrk's latency percentiles.
        var latency: WrkResult.Latency
        /// The server's CPU time per 2xx answer, µs.
        var cpuUsPerRequest: Double?
        /// Non-2xx answers.
        var non2xx: Int
        /// Socket errors and timeouts.
        var socketErrors: Int

        /// Summarises one measured wrk run and the server CPU `cpuSeconds` it cost.
        init(_ outcome: WrkLoad.Outcome, cpuSeconds: Double?) {
            requestsPerSecond = outcome.result.ackedPerSecond
            latency = outcome.result.latency
            cpuUsPerRequest = cpuSeconds.flatMap { outcome.result.acked > 0 ? $0 * 1e6 / Double(outcome.result.acked) : nil }
            non2xx = outcome.result.non2xx
            socketErrors = outcome.result.socketErrors
        }
    }

    /// The phase's figures.
    struct Figures: Codable, Sendable {
        /// Measured seconds per server.
        var seconds: Double
        /// wrk connections.
        var connections: Int
        /// Hookline.
        var hookline: Server
        /// Hookline with an idempotency key on every request (`nil` in reports from before it was measured).
        var hooklineKeyed: Server?
        /// The Hummingbird responder.
        var hummingbird: Server?
        /// nginx answering 202.
        var nginx: Server?

        /// Hookline's req/s ÷ the Hummingbird responder's (target ≥ 0.75).
        var ratioToHummingbird: Double?
        /// Hookline's req/s ÷ nginx's.
        var ratioToNginx: Double?

        /// The figures of the servers, with the ratios worked out.
        init(seconds: Double, connections: Int, hookline: Server, hooklineKeyed: Server?, hummingbird: Server?, nginx: Server?) {
            self.seconds = seconds
            self.connections = connections
            self.hookline = hookline
            self.hooklineKeyed = hooklineKeyed
            self.hummingbird = hummingbird
            self.nginx = nginx
            func ratio(_ reference: Server?) -> Double? {
                reference.map { $0.requestsPerSecond > 0 ? hookline.requestsPerSecond / $0.requestsPerSecond : 0 }
            }
            ratioToHummingbird = ratio(hummingbird)
            ratioToNginx = ratio(nginx)
        }
    }

    /// Runs the references, then Hookline (each with a warm-up), against `applicationID`.
    func run(_ context: PhaseContext, applicationID: String) async throws -> Figures {
        let plan = context.plan
        var nginx: Server?
        var hummingbird: Server?
        Console.progress("1. ingest: nginx answering 202")
        nginx = try await measure(context, name: "nginx", url: context.nginx.baseURL + "/api/v1/app/bench/msg", pid: context.nginx.pid)
        if let baseline = context.baseline {
            Console.progress("1. ingest: Hummingbird responder")
            hummingbird = try await measure(context, name: "hummingbird", url: baseline.url + "/api/v1/app/bench/msg", pid: baseline.pid)
        }
        Console.progress("1. ingest: hookline, app without endpoints")
        let hookline = try await measure(context, name: "hookline", url: context.messageURL(applicationID), pid: context.hooklinePID)
        Console.progress("1. ingest: hookline, an idempotency key on every request")
        let keyed = try await measure(
            context, name: "hookline-keyed", url: context.messageURL(applicationID), pid: context.hooklinePID, idempotencyKeys: true)
        return Figures(
            seconds: plan.ingestSeconds, connections: plan.connections, hookline: hookline, hooklineKeyed: keyed, hummingbird: hummingbird,
            nginx: nginx)
    }

    private func measure(_ context: PhaseContext, name: String, url: String, pid: Int32?, idempotencyKeys: Bool = false) async throws -> Server {
        let apiKey = context.hookline.apiKey
        let warmup = try await context.wrk.run(
            .init(
                name: "1-warmup-\(name)", url: url, apiKey: apiKey, duration: .seconds(context.plan.warmupSeconds), collectIDs: false,
                idempotencyKeys: idempotencyKeys))
        let before = PhaseContext.cpuSeconds(of: pid)
        let outcome = try await context.wrk.run(
            .init(
                name: "1-ingest-\(name)", url: url, apiKey: apiKey, duration: .seconds(context.plan.ingestSeconds), collectIDs: false,
                idempotencyKeys: idempotencyKeys))
        let after = PhaseContext.cpuSeconds(of: pid)
        if name.hasPrefix("hookline") {
            // Neither run collects ids (the app has no endpoint): count both for the memory phase.
            context.recordHookline(count: warmup.result.acked + outcome.result.acked)
        }
        let cpu = before.flatMap { start in after.map { $0 - start } }
        return Server(outcome, cpuSeconds: cpu)
    }
}
