import Foundation

/// The history phase's result: the same figures on the baseline and the large history, and their ratios.
struct HistoryComparison: Codable, Sendable {
    /// `SQLite` or `PostgreSQL`.
    var store: String
    /// On the baseline history.
    var small: HistoryProbe.Figures
    /// On the large history.
    var large: HistoryProbe.Figures
    /// How fast this run seeded the large history, if it did.
    var seedingMessagesPerSecond: Double?
    /// The large history's size on disk (the SQLite file, or the PostgreSQL database).
    var largeFileBytes: Int?

    /// The table: one row per figure, baseline, large and large ÷ baseline (target: within 10 %).
    func table() -> TextTable {
        var table = TextTable()
        table.section("history (\(store)): \(small.history) vs \(large.history) finished messages", columns: ["baseline", "large", "ratio"])
        func ratio(_ a: Double, _ b: Double) -> String { a > 0 ? String(format: "%.2f", b / a) : "-" }
        table.row(
            "ingest, messages/s (wrk -t2 -c64)", String(format: "%.0f", small.ingestPerSecond), String(format: "%.0f", large.ingestPerSecond),
            ratio(small.ingestPerSecond, large.ingestPerSecond))
        table.row(
            "ingest ack p99, ms", String(format: "%.1f", Double(small.ingestP99Us) / 1000), String(format: "%.1f", Double(large.ingestP99Us) / 1000),
            ratio(Double(small.ingestP99Us), Double(large.ingestP99Us)))
        let reads: [(String, KeyPath<HistoryProbe.Figures, HistoryProbe.Read>)] = [
            ("GET …/msg first page", \.messagesFirstPage), ("GET …/msg 10 pages deep", \.messagesTenPagesDeep),
            ("GET …/attempt/endpoint/{id}", \.attemptsByEndpoint), ("GET /api/v1/status", \.status),
        ]
        for (name, path) in reads {
            let (a, b) = (small[keyPath: path], large[keyPath: path])
            table.row("\(name) p50, ms", ms(a.p50Us), ms(b.p50Us), ratio(Double(a.p50Us), Double(b.p50Us)))
            table.row("\(name) p99, ms", ms(a.p99Us), ms(b.p99Us), ratio(Double(a.p99Us), Double(b.p99Us)))
        }
        if let a = small.sustained, let b = large.sustained {
            table.row(
                "sustained: accepted/s", String(format: "%.0f", a.acceptedPerSecond), String(format: "%.0f", b.acceptedPerSecond),
                ratio(a.acceptedPerSecond, b.acceptedPerSecond))
            table.row(
                "sustained: delivered/s (nginx)", String(format: "%.0f", a.deliveredPerSecond), String(format: "%.0f", b.deliveredPerSecond),
                ratio(a.deliveredPerSecond, b.deliveredPerSecond))
        }
        if let a = small.latency, let b = large.latency {
            table.row(
                "at \(Int(a.offeredPerSecond))/s offered: ack p99, ms", ms(UInt64(max(0, a.ack.p99Us))), ms(UInt64(max(0, b.ack.p99Us))),
                ratio(Double(a.ack.p99Us), Double(b.ack.p99Us)))
            table.row(
                "at \(Int(a.offeredPerSecond))/s offered: end-to-end p50, ms", ms(a.endToEnd.p50Us), ms(b.endToEnd.p50Us),
                ratio(Double(a.endToEnd.p50Us), Double(b.endToEnd.p50Us)))
            table.row(
                "at \(Int(a.offeredPerSecond))/s offered: end-to-end p99, ms", ms(a.endToEnd.p99Us), ms(b.endToEnd.p99Us),
                ratio(Double(a.endToEnd.p99Us), Double(b.endToEnd.p99Us)))
        }
        if small.sustained != nil || small.latency != nil {
            func missing(_ f: HistoryProbe.Figures) -> String {
                String((f.sustained?.missingAfterCatchUp ?? 0) + (f.latency?.undelivered ?? 0))
            }
            table.row("acknowledged, never delivered", missing(small), missing(large), "")
        }
        table.row(
            "RSS at the end, MiB", small.rssMiB.map { String(format: "%.1f", $0) } ?? "-", large.rssMiB.map { String(format: "%.1f", $0) } ?? "-", "")
        if let seedingMessagesPerSecond {
            table.row("seeding, messages/s", "", String(format: "%.0f", seedingMessagesPerSecond), "")
        }
        if let largeFileBytes {
            table.row("large history on disk, GiB", "", String(format: "%.2f", Double(largeFileBytes) / 1_073_741_824), "")
        }
        return table
    }

    private func ms(_ us: UInt64) -> String { String(format: "%.2f", Double(us) / 1000) }
}
