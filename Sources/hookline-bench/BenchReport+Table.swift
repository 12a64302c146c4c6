import Foundation

extension BenchReport {
    /// The report as an aligned text table, with a closing verdict line.
    func table() -> TextTable {
        var table = TextTable()
        addDiskSync(to: &table)
        addStartup(to: &table)
        addSaturated(to: &table)
        addOpenLoop(to: &table)
        addDelivery(to: &table)
        addIntegrity(to: &table)
        addMemory(to: &table)
        addStream(to: &table)
        addEdge(to: &table)

        table.section("result")
        if let hooklineExit { table.row("hookline after SIGTERM", hooklineExit) }
        table.row("lost: \(integrity.map { String($0.lost) } ?? "n/a")   duplicates: \(integrity.map { String($0.duplicates) } ?? "n/a")")
        table.row(passed ? "PASS" : "FAIL")
        for problem in problems { table.row("- " + problem) }
        return table
    }

    private func addDiskSync(to table: inout TextTable) {
        table.section("disk: fsync after a 1 KiB append, in the data dir", columns: ["before", "after"])
        let probes = [diskSync.before, diskSync.after]
        table.row("p50, ms", probes.map { Self.ms($0?.latency.p50Us) })
        table.row("p99, ms", probes.map { Self.ms($0?.latency.p99Us) })
        table.row("syncs/s", probes.map { Self.number($0?.syncsPerSecond) })
    }

    private func addStartup(to table: inout TextTable) {
        table.section("start-up", columns: ["hookline"])
        table.row("ready (health 200), ms", Self.number(startup.hooklineReadyMs, digits: 1))
        table.row("first delivery, idle, ms", Self.number(startup.firstDeliveryMs, digits: 2))
    }

    private func addSaturated(to table: inout TextTable) {
        guard let saturated else { return }
        table.section("ingest, closed loop, \(saturated.concurrency) in flight", columns: ["hookline", "baseline", "ratio"])
        let (hookline, baseline) = (saturated.hookline, saturated.baseline)
        table.row(
            "throughput, req/s",
            Self.number(hookline.throughputPerSecond),
            Self.number(baseline?.throughputPerSecond),
            Self.ratio(saturated.throughputRatio)
        )
        addLatencies(hookline.latency, baseline?.latency, to: &table, withRatio: true)
        addCPU(hookline, baseline, to: &table)
        addErrors(hookline, baseline, to: &table)
    }

    private func addCPU(_ hookline: Ingest, _ baseline: Ingest?, to table: inout TextTable) {
        let serverRatio = baseline?.serverCpuUsPerRequest.flatMap { base in
            hookline.serverCpuUsPerRequest.map { $0 / Swift.max(base, 0.001) }
        }
        table.row(
            "server CPU per request, µs",
            Self.number(hookline.serverCpuUsPerRequest, digits: 1),
            Self.number(baseline?.serverCpuUsPerRequest, digits: 1),
            Self.ratio(serverRatio)
        )
        table.row(
            "bench CPU per request, µs",
            Self.number(hookline.benchCpuUsPerRequest, digits: 1),
            Self.number(baseline?.benchCpuUsPerRequest, digits: 1)
        )
    }

    /// The error count, then one row per kind of error (an HTTP status, or why there was no answer).
    private func addErrors(_ hookline: Ingest, _ baseline: Ingest?, to table: inout TextTable) {
        table.row("errors", String(hookline.errors), baseline.map { String($0.errors) } ?? "–")
        let kinds = Set(hookline.errorKinds.keys).union(baseline?.errorKinds.keys ?? [:].keys).sorted()
        for kind in kinds {
            let count = { (ingest: Ingest?) in ingest.map { String($0.errorKinds[kind] ?? 0) } ?? "–" }
            table.row("  \(kind)", count(hookline), count(baseline))
        }
    }

    private func addOpenLoop(to table: inout TextTable) {
        for phase in openLoop {
            table.section("ingest, open loop, \(Self.number(phase.offeredRate))/s offered", columns: ["hookline", "baseline", "ratio"])
            let (hookline, baseline) = (phase.hookline, phase.baseline)
            table.row("achieved, req/s", Self.number(hookline.throughputPerSecond), Self.number(baseline?.throughputPerSecond))
            addLatencies(hookline.latency, baseline?.latency, to: &table, withRatio: true)
            table.row("bench's start lag p99, ms", Self.ms(phase.startLag.p99Us))
            addCPU(hookline, baseline, to: &table)
            addErrors(hookline, baseline, to: &table)
            table.row("skipped schedule slots", String(phase.skipped))
            if let endToEnd = phase.endToEnd, endToEnd.count > 0 {
                table.row("end-to-end p50, ms", Self.ms(endToEnd.p50Us))
                table.row("end-to-end p99, ms", Self.ms(endToEnd.p99Us))
                table.row("end-to-end p99.9, ms", Self.ms(endToEnd.p999Us))
            }
            if let undelivered = phase.undelivered {
                table.row("not delivered", String(undelivered))
            }
        }
    }

    private func addLatencies(_ hookline: LatencySummary, _ baseline: LatencySummary?, to table: inout TextTable, withRatio: Bool) {
        let rows: [(String, KeyPath<LatencySummary, UInt64>)] = [("p50", \.p50Us), ("p99", \.p99Us), ("p99.9", \.p999Us)]
        for (name, field) in rows {
            let ratio = baseline.map { Double(hookline[keyPath: field]) / Double(Swift.max($0[keyPath: field], 1)) }
            table.row(
                "latency \(name), ms",
                Self.ms(hookline[keyPath: field]),
                Self.ms(baseline?[keyPath: field]),
                withRatio ? Self.ratio(ratio) : ""
            )
        }
    }

    private func addDelivery(to table: inout TextTable) {
        guard let delivery else { return }
        table.section("delivery to the receiver", columns: ["hookline"])
        table.row("during closed-loop ingest, deliveries/s", Self.number(delivery.duringSaturatedPerSecond))
        table.row("backlog when closed loop stopped", String(delivery.backlogAfterSaturated))
        table.row("backlog cleared after, s", Self.number(delivery.backlogClearedSeconds, digits: 2))
        guard let drain = delivery.drain else { return }
        table.row("drain: messages ingested", String(drain.messages))
        table.row("drain: ingest time, s", Self.number(drain.ingestSeconds, digits: 2))
        table.row("drain: backlog at ingest end", String(drain.backlogAtIngestEnd))
        table.row("drain: first send → last arrival, s", Self.number(drain.totalSeconds, digits: 2))
        table.row("drain: deliveries/s, overall", Self.number(drain.deliveriesPerSecond))
        table.row("drain: deliveries/s, after ingest", Self.number(drain.tailDeliveriesPerSecond))
    }

    private func addIntegrity(to table: inout TextTable) {
        guard let integrity else { return }
        table.section("messages (acknowledged 202 vs arrived, by webhook-id)", columns: ["hookline"])
        table.row("acknowledged", String(integrity.acknowledged))
        table.row("delivered", String(integrity.delivered))
        table.row("lost", String(integrity.lost))
        table.row("duplicates", String(integrity.duplicates))
        table.row("mismatched id/seq", String(integrity.mismatched))
        table.row("unidentified arrivals", String(integrity.unidentified))
        table.row("payload not byte-identical", String(integrity.alteredPayloads))
        table.row("final wait, s", Self.number(integrity.waitedSeconds, digits: 2))
    }

    private func addMemory(to table: inout TextTable) {
        table.section("memory (VmRSS), MiB", columns: ["hookline", "baseline"])
        table.row("idle after start", Self.mib(memory.hooklineIdle?.rssKib), Self.mib(memory.baselineIdle?.rssKib))
        table.row("after the run", Self.mib(memory.hooklineAfter?.rssKib), Self.mib(memory.baselineAfter?.rssKib))
        table.row("peak (VmHWM)", Self.mib(memory.hooklineAfter?.peakRssKib), Self.mib(memory.baselineAfter?.peakRssKib))
    }

    private func addStream(to table: inout TextTable) {
        guard let stream else { return }
        table.section("event stream (provisional)", columns: ["hookline"])
        guard stream.available else {
            table.row("sse: \(stream.note)")
            return
        }
        table.row("sse: \(stream.note)")
        table.row("RSS per idle stream, KiB", Self.number(stream.rssPerStreamKib, digits: 1))
        table.row("fan-out p50, ms", Self.ms(stream.fanOut?.p50Us))
        table.row("fan-out p99, ms", Self.ms(stream.fanOut?.p99Us))
    }

    // MARK: Formatting

    private func addEdge(to table: inout TextTable) {
        guard let edge else { return }
        table.section("status and inbound", columns: ["hookline"])
        table.row("GET /api/v1/status p50, ms", Self.ms(edge.status?.p50Us))
        table.row("GET /api/v1/status p99, ms", Self.ms(edge.status?.p99Us))
        if let inbound = edge.inbound {
            table.row("inbound \(Int(inbound.offeredRate))/s: acknowledged", "\(inbound.acknowledged)")
            table.row("inbound: errors", "\(inbound.errors)")
            table.row("inbound ack p50, ms", Self.ms(inbound.latency.p50Us))
            table.row("inbound ack p99, ms", Self.ms(inbound.latency.p99Us))
        }
        if let note = edge.note { table.row(note) }
    }

    private static func ms(_ microseconds: UInt64?) -> String {
        microseconds.map { String(format: "%.2f", Double($0) / 1000) } ?? "–"
    }

    private static func mib(_ kib: Int?) -> String {
        kib.map { String(format: "%.1f", Double($0) / 1024) } ?? "–"
    }

    private static func number(_ value: Double?, digits: Int = 0) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "–"
    }

    private static func ratio(_ value: Double?) -> String {
        value.map { String(format: "%.2f×", $0) } ?? "–"
    }
}
