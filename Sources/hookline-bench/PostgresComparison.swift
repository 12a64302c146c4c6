import Foundation

/// The `postgres` subcommand's report: one row per configuration, with the machine.
struct PostgresComparison: Codable, Sendable {
    /// The round (1, 2, …) when the run has several, else `nil`.
    var round: Int?
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
        let title = round.map { "PostgreSQL throughput, round \($0)" } ?? "PostgreSQL throughput"
        table.section("\(title) (\(cores) cores\(cap), load average \(load))", columns: rows.map(\.label))
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
        table.row(
            "PostgreSQL server CPU µs per message",
            rows.map { row in
                guard let seconds = row.activity?.serverCPUSeconds, row.accepted > 0 else { return "-" }
                return String(format: "%.0f", seconds * 1e6 / Double(row.accepted))
            })
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

    /// The sustained rate of the configuration labelled `label`, if it ran.
    func sustained(_ label: String) -> Double? {
        rows.first { $0.label == label }.map(\.sustainedPerSecond)
    }

    /// Every round's rates and ratios side by side, with their medians.
    static func summary(of rounds: [PostgresComparison]) -> TextTable {
        var table = TextTable()
        table.section("PostgreSQL throughput by round (sustained/s)", columns: rounds.indices.map { "round \($0 + 1)" } + ["median"])
        func row(_ name: String, _ values: [Double?], format: String) {
            let known = values.compactMap { $0 }.sorted()
            let median: Double? =
                known.isEmpty
                ? nil : known.count.isMultiple(of: 2) ? (known[known.count / 2 - 1] + known[known.count / 2]) / 2 : known[known.count / 2]
            table.row(name, (values + [median]).map { $0.map { String(format: format, $0) } ?? "-" })
        }
        row("sqlite", rounds.map { $0.sustained("sqlite") }, format: "%.0f")
        row("one postgres node", rounds.map { $0.sustained("postgres") }, format: "%.0f")
        row("two postgres nodes", rounds.map { $0.sustained("postgres x2") }, format: "%.0f")
        row("one postgres node ÷ sqlite", rounds.map { ratio($0.sustained("postgres"), $0.sustained("sqlite")) }, format: "%.2f")
        row("two ÷ one postgres node", rounds.map { ratio($0.sustained("postgres x2"), $0.sustained("postgres")) }, format: "%.2f")
        return table
    }

    private static func ratio(_ value: Double?, _ reference: Double?) -> Double? {
        guard let value, let reference, reference > 0 else { return nil }
        return value / reference
    }

    private static func format(_ value: Double) -> String { String(format: "%.0f", value) }

    private static func pair(_ first: Double?, _ second: Double?) -> String {
        guard let first else { return "-" }
        return String(format: "%.2f / %@", first, second.map { String(format: "%.2f", $0) } ?? "?")
    }
}

/// The `postgres` subcommand's JSON line: one report, or one per round.
enum PostgresComparisonOutput: Encodable {
    /// A run of one round: its report, as before rounds existed.
    case one(PostgresComparison)
    /// A run of several rounds: `{"rounds": [...]}`.
    case rounds([PostgresComparison])

    private enum Keys: String, CodingKey {
        case rounds
    }

    /// Encodes the one report as itself, or the rounds under `rounds`.
    func encode(to encoder: any Encoder) throws {
        switch self {
        case .one(let report): try report.encode(to: encoder)
        case .rounds(let reports):
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(reports, forKey: .rounds)
        }
    }
}
