/// What one `wrk` run reported through the load script's `done()` line.
struct WrkResult: Codable, Sendable {
    /// The prefix of the line ``WrkScript`` prints.
    static let marker = "HOOKLINE-BENCH-WRK"

    /// Responses wrk completed (any status).
    var requests: Int
    /// Responses with a 2xx status.
    var acked: Int
    /// Responses with another status.
    var non2xx: Int
    /// The last non-2xx status seen (0: none).
    var lastStatus: Int
    /// Wall time of the run, seconds.
    var seconds: Double
    /// Socket errors: connect, read, write, and requests that timed out.
    var socketErrors: Int
    /// Latency percentiles of all responses, as wrk measured them (from the write of the request).
    var latency: Latency

    /// wrk's latency figures, µs.
    struct Latency: Codable, Sendable {
        /// Median.
        var p50Us: Int
        /// 90th percentile.
        var p90Us: Int
        /// 99th percentile.
        var p99Us: Int
        /// 99.9th percentile.
        var p999Us: Int
        /// Slowest response.
        var maxUs: Int
        /// Mean.
        var meanUs: Double
    }

    /// 2xx responses per second of the run.
    var ackedPerSecond: Double {
        seconds > 0 ? Double(acked) / seconds : 0
    }

    /// Parses the marker line out of wrk's standard output; nil when it is missing or malformed.
    init?(output: String) {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix(Self.marker) }) else { return nil }
        var fields: [Substring: Double] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { fields[parts[0]] = value }
        }
        func int(_ key: Substring) -> Int? { fields[key].map { Int($0) } }
        guard let requests = int("requests"), let acked = int("acked"), let duration = fields["duration_us"] else { return nil }
        self.requests = requests
        self.acked = acked
        non2xx = int("non2xx") ?? 0
        lastStatus = int("last_status") ?? 0
        seconds = duration / 1e6
        socketErrors = ["connect_errors", "read_errors", "write_errors", "timeouts"].compactMap { int(Substring($0)) }.reduce(0, +)
        latency = Latency(
            p50Us: int("p50_us") ?? 0,
            p90Us: int("p90_us") ?? 0,
            p99Us: int("p99_us") ?? 0,
            p999Us: int("p999_us") ?? 0,
            maxUs: int("max_us") ?? 0,
            meanUs: fields["mean_us"] ?? 0
        )
    }
}
