import Foundation

extension BenchReport {
    /// The report as an aligned text table, with a closing verdict line. Each figure with a target or
    /// a reference shows it, and the ratio figure ÷ target (or ÷ reference).
    func table() -> TextTable {
        var table = TextTable()
        addStartup(to: &table)
        addIngest(to: &table)
        addDrain(to: &table)
        addStoreFloor(to: &table)
        addSustained(to: &table)
        addLatency(to: &table)
        addMemory(to: &table)
        addIsolation(to: &table)
        addAudit(to: &table)
        addProbes(to: &table)

        table.section("result")
        if let hooklineExit { table.row("hookline after SIGTERM", hooklineExit) }
        table.row("lost: \(audit.map { String($0.lost) } ?? "n/a")   duplicates: \(audit.map { String($0.duplicates) } ?? "n/a")")
        table.row(passed ? "PASS" : "FAIL")
        for problem in problems { table.row("- " + problem) }
        return table
    }

    private func addStartup(to table: inout TextTable) {
        table.section("start-up and disk", columns: ["value"])
        table.row("hookline ready (health 200), ms", Format.number(startup.hooklineReadyMs, digits: 1))
        table.row("first delivery, idle (Swift receiver), ms", Format.number(startup.firstDeliveryMs, digits: 2))
        table.row("disk fsync p50 before / after, ms", "\(Format.ms(diskSync.before?.latency.p50Us)) / \(Format.ms(diskSync.after?.latency.p50Us))")
    }

    private func addIngest(to table: inout TextTable) {
        guard let ingest else { return }
        table.section(
            "1. ingest alone, wrk -t\(plan.threads) -c\(ingest.connections) \(Format.number(ingest.seconds))s",
            columns: ["hookline", "hummingbird", "nginx", "ratio (target)", "keyed"]
        )
        let servers = [ingest.hookline, ingest.hummingbird, ingest.nginx]
        let keyed = ingest.hooklineKeyed
        table.row("req/s", servers.map { Format.number($0?.requestsPerSecond) } + ["", Format.number(keyed?.requestsPerSecond)])
        table.row("  ratio to hummingbird", "", "", "", Format.ratio(ingest.ratioToHummingbird) + " (≥ \(Targets.ingestRatioToHummingbird))")
        table.row("  ratio to nginx", "", "", "", Format.ratio(ingest.ratioToNginx))
        table.row(
            "  keyed ÷ unkeyed (idempotency-key on every request)", "", "", "", "",
            Format.ratio(keyed.map { $0.requestsPerSecond / max(ingest.hookline.requestsPerSecond, 1) }))
        table.row("p50, ms", servers.map { Format.ms($0?.latency.p50Us) } + ["", Format.ms(keyed?.latency.p50Us)])
        table.row("p99, ms", servers.map { Format.ms($0?.latency.p99Us) } + ["", Format.ms(keyed?.latency.p99Us)])
        table.row(
            "server CPU per request, µs",
            servers.map { Format.number($0?.cpuUsPerRequest, digits: 1) } + ["", Format.number(keyed?.cpuUsPerRequest, digits: 1)])
        table.row("non-2xx / socket errors", (servers + [nil, keyed]).map { $0.map { "\($0.non2xx) / \($0.socketErrors)" } ?? "–" })
    }

    private func addDrain(to table: inout TextTable) {
        guard let drain else { return }
        table.section("2. drain \(drain.backlog) messages due at once, to nginx", columns: ["value", "target", "ratio"])
        table.row("ingest, s (due after, s)", "\(Format.number(drain.ingestSeconds, digits: 1)) (\(Format.number(drain.dueAfterSeconds, digits: 1)))")
        if !drain.ingestBeforeDue { table.row("  ingest ran past the due time: delivery overlapped it") }
        table.row("first arrival after due, ms", Format.number(drain.firstArrivalAfterDueMs))
        table.row(
            "deliveries/s",
            Format.number(drain.deliveriesPerSecond),
            "≥ \(Format.number(Targets.drainPerSecond))",
            Format.ratio(drain.deliveriesPerSecond.map { $0 / Targets.drainPerSecond })
        )
        table.row(
            "server CPU per delivery, µs",
            Format.number(drain.cpuUsPerDelivery, digits: 1),
            "≤ \(Format.number(Targets.cpuUsPerDelivery))",
            Format.ratio(drain.cpuUsPerDelivery.map { $0 / Targets.cpuUsPerDelivery })
        )
        table.row("delivered", "\(drain.delivered) of \(drain.backlog)")
    }

    private func addStoreFloor(to table: inout TextTable) {
        guard let floor = storeFloor else { return }
        table.section(
            "store alone, in the bench, \(floor.messages) messages: reference for 1 and 2",
            columns: ["value", "hookline", "share"])
        table.row(
            "ingest CPU per message (batches of \(floor.ingestBatch), fsync'd), µs", Format.number(floor.ingestCPUUs, digits: 1),
            Format.number(ingest?.hookline.cpuUsPerRequest, digits: 1), Format.ratio(ratio(floor.ingestCPUUs, ingest?.hookline.cpuUsPerRequest)))
        table.row(
            "claim + completion CPU per delivery, µs", Format.number(floor.drainCPUUs, digits: 1), Format.number(drain?.cpuUsPerDelivery, digits: 1),
            Format.ratio(ratio(floor.drainCPUUs, drain?.cpuUsPerDelivery)))
        table.row(
            "  claim; completion (attempt, two events), µs",
            "\(Format.number(floor.claimCPUUs, digits: 1)); \(Format.number(floor.completionCPUUs, digits: 1))")
        table.row(
            "messages committed/s; deliveries claimed and completed/s",
            "\(Format.number(floor.ingestPerSecond)); \(Format.number(floor.drainPerSecond))")
    }

    /// `part ÷ whole`, when both are known and the whole is positive.
    private func ratio(_ part: Double?, _ whole: Double?) -> Double? {
        guard let part, let whole, whole > 0 else { return nil }
        return part / whole
    }

    private func addSustained(to table: inout TextTable) {
        guard let sustained else { return }
        table.section("3. sustained, wrk flat out, \(Format.number(sustained.seconds, digits: 1))s", columns: ["value", "target", "ratio"])
        table.row(
            "accepted/s",
            Format.number(sustained.acceptedPerSecond),
            "≥ \(Format.number(Targets.sustainedAcceptedPerSecond))",
            Format.ratio(sustained.acceptedPerSecond / Targets.sustainedAcceptedPerSecond)
        )
        table.row("delivered/s, same window", Format.number(sustained.deliveredPerSecond))
        table.row(
            "delivered ÷ accepted",
            Format.number(sustained.ratio, digits: 2),
            "≥ \(Targets.sustainedRatio)",
            Format.ratio(sustained.ratio / Targets.sustainedRatio)
        )
        table.row("ingest p50 / p99, ms", "\(Format.ms(sustained.latency.p50Us)) / \(Format.ms(sustained.latency.p99Us))")
        table.row("server CPU per message, µs", Format.number(sustained.cpuUsPerMessage, digits: 1))
        table.row("backlog at end, cleared in s", "\(sustained.backlogAtEnd), \(Format.number(sustained.catchUpSeconds, digits: 1))")
        if sustained.non2xx > 0 { table.row("non-2xx", String(sustained.non2xx)) }
    }

    private func addLatency(to table: inout TextTable) {
        guard let latency else { return }
        table.section("4. latency at \(Format.number(latency.offeredPerSecond))/s offered (paced wrk)", columns: ["value", "target", "ratio"])
        table.row("achieved, msg/s", Format.number(latency.achievedPerSecond))
        table.row("ingest ack p50, ms", Format.ms(latency.ack.p50Us))
        targetRow("ingest ack p99, ms", Double(latency.ack.p99Us) / 1000, Targets.ackP99Ms, to: &table)
        targetRow("end-to-end p50, ms", Double(latency.endToEnd.p50Us) / 1000, Targets.endToEndP50Ms, to: &table)
        targetRow("end-to-end p99, ms", Double(latency.endToEnd.p99Us) / 1000, Targets.endToEndP99Ms, to: &table)
        table.row("end-to-end max, ms", Format.ms(latency.endToEnd.maxUs))
        if latency.undelivered > 0 { table.row("not delivered within the wait", String(latency.undelivered)) }
    }

    private func addMemory(to table: inout TextTable) {
        table.section("5. memory (VmRSS), MiB", columns: ["value", "target", "ratio"])
        let idle = memory.hooklineIdle.map { Double($0.rssKib) / 1024 }
        table.row(
            "hookline idle",
            Format.number(idle, digits: 1),
            "≤ \(Format.number(Targets.idleRssMib))",
            Format.ratio(idle.map { $0 / Targets.idleRssMib })
        )
        for checkpoint in memory.checkpoints {
            let short = checkpoint.messages < checkpoint.target ? " (of \(checkpoint.target))" : ""
            table.row("after \(checkpoint.messages) messages\(short)", Format.mib(checkpoint.rssKib))
        }
        table.row("after the run / peak", "\(Format.mib(memory.hooklineAfter?.rssKib)) / \(Format.mib(memory.hooklineAfter?.peakRssKib))")
        table.row("hummingbird responder idle", Format.mib(memory.baselineIdle?.rssKib))
    }

    private func addIsolation(to table: inout TextTable) {
        guard let isolation else { return }
        table.section("7. isolation: \(isolation.hungQueued) queued for a hung endpoint", columns: ["value", "target", "ratio"])
        table.row("healthy endpoint: delivered", "\(isolation.healthyDelivered) of \(isolation.healthySent)")
        table.row("healthy end-to-end p50, ms", Format.ms(isolation.endToEnd.p50Us))
        targetRow("healthy end-to-end p99, ms", Double(isolation.endToEnd.p99Us) / 1000, Targets.isolationP99Ms, to: &table)
    }

    private func addAudit(to table: inout TextTable) {
        table.section("exactly once (2xx ids vs nginx log; byte sample vs Swift receiver)", columns: ["nginx", "sample"])
        let sample = byteSample
        table.row("acknowledged", audit.map { String($0.acknowledged) } ?? "–", sample.map { String($0.acknowledged) } ?? "–")
        table.row("delivered", audit.map { String($0.delivered) } ?? "–", sample.map { String($0.delivered) } ?? "–")
        table.row("lost", audit.map { String($0.lost) } ?? "–", sample.map { String($0.lost) } ?? "–")
        table.row("duplicates", audit.map { String($0.duplicates) } ?? "–", sample.map { String($0.duplicates) } ?? "–")
        table.row("arrived without a 2xx seen (wrk cut-off)", audit.map { String($0.unacknowledgedArrivals) } ?? "–", "")
        table.row("payload not byte-identical", "", sample.map { String($0.alteredPayloads) } ?? "–")
    }

    private func addProbes(to table: inout TextTable) {
        table.section("probes", columns: ["value"])
        if let stream {
            table.row("sse: \(stream.note)")
            if stream.available {
                table.row("sse RSS per idle stream, KiB", Format.number(stream.rssPerStreamKib, digits: 1))
                table.row("sse fan-out p50 / p99, ms", "\(Format.ms(stream.fanOut?.p50Us)) / \(Format.ms(stream.fanOut?.p99Us))")
            }
        }
        guard let edge else { return }
        table.row("GET /api/v1/status p50 / p99, ms", "\(Format.ms(edge.status?.p50Us)) / \(Format.ms(edge.status?.p99Us))")
        if let inbound = edge.inbound {
            table.row(
                "inbound \(Int(inbound.offeredRate))/s ack p50 / p99, ms", "\(Format.ms(inbound.latency.p50Us)) / \(Format.ms(inbound.latency.p99Us))"
            )
            table.row("inbound acknowledged / errors", "\(inbound.acknowledged) / \(inbound.errors)")
        }
        if let note = edge.note { table.row(note) }
    }

    private func targetRow(_ label: String, _ value: Double, _ target: Double, to table: inout TextTable) {
        table.row(label, Format.number(value, digits: 2), "≤ \(Format.number(target))", Format.ratio(value / target))
    }
}

/// Number formatting for the table.
enum Format {
    /// Microseconds as milliseconds with two decimals.
    static func ms<Value: BinaryInteger>(_ microseconds: Value?) -> String {
        microseconds.map { String(format: "%.2f", Double($0) / 1000) } ?? "–"
    }

    /// KiB as MiB with one decimal.
    static func mib(_ kib: Int?) -> String {
        kib.map { String(format: "%.1f", Double($0) / 1024) } ?? "–"
    }

    /// A number with `digits` decimals.
    static func number(_ value: Double?, digits: Int = 0) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "–"
    }

    /// A ratio such as `0.42×`.
    static func ratio(_ value: Double?) -> String {
        value.map { String(format: "%.2f×", $0) } ?? "–"
    }
}
