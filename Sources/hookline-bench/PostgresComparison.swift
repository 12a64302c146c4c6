import Foundation

/// The `postgres` subcommand's report: one row per configuration, with the machine.
struct PostgresComparison: Codable, Sendable {
    /// Cores the run saw.
    var cores: Int
    /// Cores each node was capped at (`--node-cpus`), or `nil` when uncapped.
    var nodeCPUs: Double?
    /// The 1-minute load average before and after the run.
    var loadBefore: Double?
    /// See `loadBefore`.
    var loadAfter: Double?
    /// One per configuration, in run order.
    var rows: [SpreadLoad.Figures]

    /// The table printed before the JSON line.
    func table() -> TextTable {
        var table = TextTable()
        let load = [loadBefore, loadAfter].map { $0.map { String(format: "%.2f", $0) } ?? "?" }.joined(separator: " -> ")
        let cap = nodeCPUs.map { String(format: ", each node capped at %.2f cores", $0) } ?? ""
        table.section("PostgreSQL throughput (\(cores) cores\(cap), load average \(load))", columns: rows.map(\.label))
        table.row("accepted/s", rows.map { Self.format($0.acceptedPerSecond) })
        table.row("delivered/s in the window", rows.map { Self.format($0.deliveredInWindowPerSecond) })
        table.row("sustained/s (until delivered)", rows.map { Self.format($0.sustainedPerSecond) })
        if let sqlite = rows.first(where: { $0.label == "sqlite" }), sqlite.sustainedPerSecond > 0 {
            table.row("sustained ÷ sqlite", rows.map { String(format: "%.2f", $0.sustainedPerSecond / sqlite.sustainedPerSecond) })
        }
        if let one = rows.first(where: { $0.label == "postgres" }), one.sustainedPerSecond > 0 {
            table.row("sustained ÷ one postgres node", rows.map { String(format: "%.2f", $0.sustainedPerSecond / one.sustainedPerSecond) })
        }
        table.row("ack p99 ms", rows.map { String(format: "%.1f", $0.ackP99Ms) })
        table.row("lost / duplicates", rows.map { "\($0.lost) / \($0.duplicates)" })
        table.row("deliveries by node", rows.map { $0.deliveredByNode.map(String.init).joined(separator: " / ") })
        table.row("share by node", rows.map { $0.shareByNode.map { String(format: "%.0f%%", $0 * 100) }.joined(separator: " / ") })
        table.row("CPU µs per message by node", rows.map { $0.cpuUsPerMessage.map { String(format: "%.0f", $0) }.joined(separator: " / ") })
        table.row("event lock takes", rows.map { $0.lockAcquisitions.map(String.init) ?? "-" })
        table.row("event lock mean / p99 ms", rows.map { Self.pair($0.lockMeanMs, $0.lockP99Ms) })
        table.row("event lock time ÷ window", rows.map { $0.lockTimeShare.map { String(format: "%.2f", $0) } ?? "-" })
        table.row(
            "sessions waiting on it (mean / max)",
            rows.map { row in row.activity.map { String(format: "%.2f / %d", $0.meanWaiting, $0.maxWaiting) } ?? "-" })
        table.row("samples with a waiter", rows.map { row in row.activity.map { String(format: "%.0f%%", $0.busyShare * 100) } ?? "-" })
        table.row("active sessions (mean)", rows.map { row in row.activity.map { String(format: "%.2f", $0.meanActive) } ?? "-" })
        table.row("pool acquisitions", rows.map { $0.poolAcquisitions.map(String.init) ?? "-" })
        table.row("pool wait mean / p99 ms", rows.map { Self.pair($0.poolMeanMs, $0.poolP99Ms) })
        return table
    }

    private static func format(_ value: Double) -> String { String(format: "%.0f", value) }

    private static func pair(_ first: Double?, _ second: Double?) -> String {
        guard let first else { return "-" }
        return String(format: "%.2f / %@", first, second.map { String(format: "%.2f", $0) } ?? "?")
    }
}
