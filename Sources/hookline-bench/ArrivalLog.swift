import Foundation

/// nginx's delivery log (`$msec $http_webhook_id` per line), read incrementally: every arrival's
/// wall-clock time and message id, and how often each id arrived.
///
/// nginx logs the arrival truncated to the millisecond, and flushes its buffer every 200 ms, so a
/// delivery shows up here up to ~0.2 s after it happened.
final class ArrivalLog {
    /// One delivery.
    struct Arrival {
        /// Seconds since the epoch, ms resolution.
        var time: Double
        /// The `webhook-id` header.
        var id: String
    }

    /// Every arrival read so far, in log order.
    private(set) var arrivals: [Arrival] = []
    /// How often each id arrived.
    private(set) var counts: [String: Int] = [:]
    /// First arrival time of each id.
    private(set) var firstArrival: [String: Double] = [:]

    private let path: String
    private var offset: UInt64 = 0
    private var partial = Data()

    /// Reads the log at `path`.
    init(path: String) {
        self.path = path
    }

    /// Reads what nginx appended since the last call.
    func refresh() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return }
        offset += UInt64(data.count)
        partial.append(data)
        guard let lastNewline = partial.lastIndex(of: UInt8(ascii: "\n")) else { return }
        let complete = partial[partial.startIndex...lastNewline]
        for line in complete.split(separator: UInt8(ascii: "\n")) {
            guard let space = line.firstIndex(of: UInt8(ascii: " ")),
                let time = Double(String(decoding: line[line.startIndex..<space], as: UTF8.self))
            else { continue }
            let id = String(decoding: line[line.index(after: space)...], as: UTF8.self)
            arrivals.append(Arrival(time: time, id: id))
            counts[id, default: 0] += 1
            if firstArrival[id] == nil { firstArrival[id] = time }
        }
        partial = Data(partial[partial.index(after: lastNewline)...])
    }

    /// Arrivals (duplicates included) with `start ≤ time < end`.
    func count(from start: Double, to end: Double) -> Int {
        arrivals.count { $0.time >= start && $0.time < end }
    }

    /// Refreshes until every id in `ids` has arrived or `timeout` passes; returns the ids still missing.
    func waitFor(_ ids: some Sequence<String>, timeout: Duration) async -> Set<String> {
        var missing = Set(ids)
        let deadline = ContinuousClock.now + timeout
        while true {
            refresh()
            missing = missing.filter { firstArrival[$0] == nil }
            if missing.isEmpty || ContinuousClock.now >= deadline { return missing }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
