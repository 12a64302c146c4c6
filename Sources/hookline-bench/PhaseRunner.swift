import Foundation

/// Drives the phases against servers that are up and fills in the report: the byte-identity sample
/// with the bench's own client, the wrk phases 1–5 and 7 against nginx-backed applications, the SSE,
/// status and inbound probes, and the final exactly-once audit.
///
/// A phase that fails records a problem and the run goes on with the next.
struct PhaseRunner {
    /// Servers, wrk and the delivery log.
    let context: PhaseContext
    /// The byte-identity sample's target: an app whose endpoint is the Swift ``Receiver``.
    let sampleTarget: BenchTarget
    /// What the sample target acknowledged.
    let ledger: MessageLedger
    /// The Swift receiver.
    let receiver: Receiver

    /// Runs everything, in order, into `report`.
    func run(into report: inout BenchReport) async {
        let plan = context.plan
        try? await Task.sleep(for: .seconds(1))
        report.memory.hooklineIdle = context.hooklinePID.flatMap(ProcessMemory.read(pid:))
        report.memory.baselineIdle = context.baseline.flatMap { ProcessMemory.read(pid: $0.pid) }

        await ByteSample(plan: plan, target: sampleTarget, ledger: ledger, receiver: receiver).run(into: &report)
        context.recordHookline(count: ledger.snapshot().count)

        var problems: [String] = []
        var quiet: String?
        let checkpoints = plan.memoryCheckpoints
        problems += await attempt("5. memory, first checkpoint") {
            let applicationID = try await context.makeApplication(name: "bench-quiet", deliveringToNginx: false)
            quiet = applicationID
            report.memory.checkpoints = try await MemoryPhase().run(context, applicationID: applicationID, checkpoints: checkpoints.prefix(1))
        }
        problems += await attempt("1. ingest") {
            guard let applicationID = quiet else { throw BenchError.io("no endpoint-less application") }
            report.ingest = try await IngestPhase().run(context, applicationID: applicationID)
        }
        problems += await attempt("2. drain") {
            let applicationID = try await context.makeApplication(name: "bench-drain", deliveringToNginx: true)
            let rate = report.ingest?.hookline.requestsPerSecond ?? 2000
            report.drain = try await DrainPhase().run(context, applicationID: applicationID, ingestRate: rate)
        }
        if plan.store == "sqlite" {
            problems += await attempt("store floor") {
                Console.progress("the store alone (reference for phases 1 and 2)")
                let phase = StoreFloorPhase(
                    directory: plan.workDirectory, messages: plan.quick ? 10_000 : 50_000, payload: Data(BenchPayload.payload(seq: 0).utf8))
                report.storeFloor = try await phase.run()
            }
        }
        problems += await attempt("3. sustained") {
            let applicationID = try await context.makeApplication(name: "bench-sustained", deliveringToNginx: true)
            report.sustained = try await SustainedPhase().run(context, applicationID: applicationID)
        }
        problems += await attempt("4. latency") {
            let applicationID = try await context.makeApplication(name: "bench-latency", deliveringToNginx: true)
            report.latency = try await LatencyPhase().run(context, applicationID: applicationID)
        }
        problems += await attempt("7. isolation") {
            report.isolation = try await IsolationPhase().run(context)
        }
        problems += await attempt("5. memory") {
            guard let applicationID = quiet else { throw BenchError.io("no endpoint-less application") }
            report.memory.checkpoints += try await MemoryPhase().run(context, applicationID: applicationID, checkpoints: checkpoints.dropFirst())
        }

        report.problems += problems

        Console.progress("event stream")
        report.stream = await StreamProbe(api: context.hookline, target: sampleTarget, streams: plan.streams).run()
        Console.progress("status and inbound acknowledgements")
        report.edge = await EdgeProbe(api: context.hookline, inboundDuration: .seconds(plan.inboundSeconds)).run()

        Console.progress("waiting for the last deliveries to nginx")
        let wait = await context.catchUp(context.expected)
        report.memory.hooklineAfter = context.hooklinePID.flatMap(ProcessMemory.read(pid:))
        report.audit = ExactlyOnceAudit(expected: context.expected, arrivals: context.arrivals, waitedSeconds: wait.seconds)
    }

    /// Runs one phase; returns its error as a problem of the report (none when it succeeded).
    private func attempt(_ name: String, _ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            return []
        } catch {
            Console.progress("\(name) failed: \(error)")
            return ["phase \(name) failed: \(error)"]
        }
    }
}
