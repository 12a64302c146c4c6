import Foundation

/// The history phase's result: the same figures on the baseline and the large history, and their ratios.
///
/// Each history's load phases ran twice (small, large, large, small); a load figure is the mean of its two runs, and
/// the per-run values are printed beside it so their spread shows.
struct HistoryComparison: Codable, Sendable {
    /// `SQLite` or `PostgreSQL`.
    var store: String
    /// On the baseline history, one per run (the reads are the same in each: they were measured once, alternating).
    var small: [HistoryProbe.Figures]
    /// On the large history, one per run.
    var large: [HistoryProbe.Figures]
    /// How fast this run seeded the large history, if it did.
    var seedingMessagesPerSecond: Double?
    /// The large history's size on disk (the SQLite file, or the PostgreSQL database).
    var largeFileBytes: Int?

    /// The table: one row per figure, baseline, large and large ÷ baseline (target: within 10 %).
    func table() -> TextTable {
        var table = TextTable()
        guard let first = small.first, let firstLarge = large.first else { return table }
        table.section(
            "history (\(store)): \(first.history) vs \(firstLarge.history) finished messages; load: mean of 2 runs each (small, large, large, small)",
            columns: ["baseline", "large", "ratio", "runs: baseline | large"])
        /// One row of a load figure: the means, their ratio, and each run's value.
        func load(_ name: String, _ value: (HistoryProbe.Figures) -> Double?, format: String = "%.0f", scale: Double = 1) {
            let a = small.compactMap(value).map { $0 * scale }
            let b = large.compactMap(value).map { $0 * scale }
            guard !a.isEmpty, !b.isEmpty else { return }
            let (meanA, meanB) = (a.reduce(0, +) / Double(a.count), b.reduce(0, +) / Double(b.count))
            let runs =
                a.map { String(format: format, $0) }.joined(separator: " ") + " | " + b.map { String(format: format, $0) }.joined(separator: " ")
            table.row(
                name, String(format: format, meanA), String(format: format, meanB), meanA > 0 ? String(format: "%.2f", meanB / meanA) : "-", runs)
        }
        load("ingest, messages/s (wrk -t2 -c64)", \.ingestPerSecond)
        load("ingest ack p99, ms", { Double($0.ingestP99Us) }, format: "%.1f", scale: 0.001)
        let reads: [(String, KeyPath<HistoryProbe.Figures, HistoryProbe.Read>)] = [
            ("GET …/msg first page", \.messagesFirstPage), ("GET …/msg 10 pages deep", \.messagesTenPagesDeep),
            ("GET …/attempt/endpoint/{id}", \.attemptsByEndpoint), ("GET /api/v1/status", \.status),
        ]
        for (name, path) in reads {
            let (a, b) = (first[keyPath: path], firstLarge[keyPath: path])
            table.row("\(name) p50, ms", ms(a.p50Us), ms(b.p50Us), ratio(Double(a.p50Us), Double(b.p50Us)), "")
            table.row("\(name) p99, ms", ms(a.p99Us), ms(b.p99Us), ratio(Double(a.p99Us), Double(b.p99Us)), "")
        }
        load("sustained: accepted/s", { $0.sustained?.acceptedPerSecond })
        load("sustained: delivered/s (nginx)", { $0.sustained?.deliveredPerSecond })
        if let offered = first.latency?.offeredPerSecond {
            load("at \(Int(offered))/s offered: ack p99, ms", { $0.latency.map { Double(max(0, $0.ack.p99Us)) } }, format: "%.2f", scale: 0.001)
            load("at \(Int(offered))/s offered: end-to-end p50, ms", { $0.latency.map { Double($0.endToEnd.p50Us) } }, format: "%.2f", scale: 0.001)
            load("at \(Int(offered))/s offered: end-to-end p99, ms", { $0.latency.map { Double($0.endToEnd.p99Us) } }, format: "%.2f", scale: 0.001)
        }
        if first.sustained != nil || first.latency != nil {
            func missing(_ runs: [HistoryProbe.Figures]) -> String {
                String(runs.reduce(0) { $0 + ($1.sustained?.missingAfterCatchUp ?? 0) + ($1.latency?.undelivered ?? 0) })
            }
            table.row("acknowledged, never delivered", missing(small), missing(large), "", "")
        }
        let rss = { (runs: [HistoryProbe.Figures]) in runs.last?.rssMiB.map { String(format: "%.1f", $0) } ?? "-" }
        table.row("RSS at the end, MiB", rss(small), rss(large), "", "")
        if let seedingMessagesPerSecond {
            table.row("seeding, messages/s", "", String(format: "%.0f", seedingMessagesPerSecond), "", "")
        }
        if let largeFileBytes {
            table.row("large history on disk, GiB", "", String(format: "%.2f", Double(largeFileBytes) / 1_073_741_824), "", "")
        }
        return table
    }

    private func ratio(_ a: Double, _ b: Double) -> String { a > 0 ? String(format: "%.2f", b / a) : "-" }

    private func ms(_ us: UInt64) -> String { String(format: "%.2f", Double(us) / 1000) }
}
