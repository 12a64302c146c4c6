import Foundation
import HooklineSQLite

/// What `hookline-bench retention` measured: ingest with and without a purge running, how long the purge took,
/// and the file before and after.
struct RetentionReport: Codable, Sendable {
    /// The SQLite file at one moment (no server running).
    struct FileState: Codable, Sendable {
        /// The database file's size, bytes (its WAL is empty: the server checkpointed it when it stopped).
        var fileBytes: Int
        /// Pages in use or free.
        var pages: Int
        /// Of which free.
        var freePages: Int
        /// Messages in the file.
        var messages: Int
        /// Messages older than the default 90-day history retention.
        var expiredMessages: Int
        /// Messages created before `seededBy` (the seeded history; ingest came later).
        var seededMessages: Int

        /// Reads the file at `path`; the seeded history was written before `seededBy`.
        static func read(_ path: String, seededBy: Date) async throws -> FileState {
            let store = try SQLiteStore(path: path)
            let census = try await store.messageCensus(cutoffs: [Date().addingTimeInterval(-90 * 86_400), seededBy])
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return FileState(
                fileBytes: size, pages: try await store.pageCount(), freePages: try await store.freePageCount(), messages: census.total,
                expiredMessages: census.before[0], seededMessages: census.before[1])
        }
    }

    /// Expired messages seeded.
    var expired: Int
    /// Unexpired messages seeded.
    var kept: Int
    /// How fast the expired history was seeded.
    var seedingMessagesPerSecond: Double
    /// How fast the unexpired history was seeded.
    var seedingUnexpiredPerSecond: Double?
    /// The file before run 1.
    var before: FileState?
    /// The file after run 2.
    var after: FileState?
    /// wrk flat out, run 1.
    var saturated: WrkResult?
    /// wrk paced, run 1 (no purge).
    var withoutPurge: WrkResult?
    /// wrk paced, run 2 (purging).
    var withPurge: WrkResult?
    /// Messages purged by the end of run 2's load.
    var purgedDuringLoad = 0
    /// From run 2's start until every expired message was purged, seconds.
    var purgeSeconds: Double?
    /// Messages acknowledged over both runs (all unexpired, so all must be in the file afterwards).
    var acknowledged = 0

    /// The table.
    func table() -> TextTable {
        var table = TextTable()
        func ms(_ us: Int?) -> String { us.map { String(format: "%.1f", Double($0) / 1000) } ?? "-" }
        func rate(_ result: WrkResult?) -> String { result.map { String(format: "%.0f", $0.ackedPerSecond) } ?? "-" }
        table.section("retention (SQLite): \(expired) expired + \(kept) unexpired messages", columns: ["no purge", "purging", "ratio"])
        table.row("ingest offered at \(rate(saturated))/s saturated ÷ 2: acked/s", rate(withoutPurge), rate(withPurge), "")
        for (name, path) in [("p50", \WrkResult.Latency.p50Us), ("p99", \.p99Us), ("max", \.maxUs)] {
            let a = withoutPurge?.latency[keyPath: path]
            let b = withPurge?.latency[keyPath: path]
            let ratio = a.flatMap { a in b.map { String(format: "%.2f", Double($0) / Double(max(a, 1))) } } ?? "-"
            table.row("ingest ack \(name), ms", ms(a), ms(b), ratio)
        }
        table.row("non-2xx", "\(withoutPurge?.non2xx ?? 0)", "\(withPurge?.non2xx ?? 0)", "")
        table.section("purge", columns: ["value"])
        table.row("purged during run 2's load", "\(purgedDuringLoad)")
        table.row("seconds until all \(expired) were purged", purgeSeconds.map { String(format: "%.1f", $0) } ?? "-")
        table.row("messages/s purged", purgeSeconds.map { String(format: "%.0f", Double(expired) / $0) } ?? "-")
        table.section("file", columns: ["before", "after"])
        func gib(_ state: FileState?) -> String { state.map { String(format: "%.3f", Double($0.fileBytes) / 1_073_741_824) } ?? "-" }
        table.row("file size, GiB", gib(before), gib(after))
        table.row("pages (free)", before.map { "\($0.pages) (\($0.freePages))" } ?? "-", after.map { "\($0.pages) (\($0.freePages))" } ?? "-")
        table.row("messages", "\(before?.messages ?? 0)", "\(after?.messages ?? 0)")
        table.row("of which older than 90 days", "\(before?.expiredMessages ?? 0)", "\(after?.expiredMessages ?? 0)")
        let seeded = { (state: FileState?) in state.map { "\($0.seededMessages - $0.expiredMessages)" } ?? "-" }
        table.row("seeded unexpired (must not change)", seeded(before), seeded(after))
        let ingested = after.map { $0.messages - $0.seededMessages } ?? 0
        table.row("ingested during the runs (wrk counted \(acknowledged) 2xx)", "", "\(ingested)")
        return table
    }
}
