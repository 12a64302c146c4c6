import AsyncHTTPClient
import Foundation

/// One scrape of a node's `/metrics`: every sample by its series (`name{labels}` as printed).
struct MetricsScrape: Sendable {
    /// Sample values by series.
    var samples: [String: Double] = [:]

    /// Parses the Prometheus text exposition.
    init(text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
    }

    /// Scrapes `api`'s node.
    static func take(_ api: HooklineAPI) async throws -> MetricsScrape {
        let response = try await api.client.execute(api.request(path: "/metrics"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else {
            throw BenchError.unexpectedResponse("GET /metrics", status: response.status.code, body: String(buffer: body))
        }
        return MetricsScrape(text: String(buffer: body))
    }

    /// The value of `series`, 0 when absent.
    subscript(_ series: String) -> Double { samples[series] ?? 0 }

    /// How much `series` grew since `earlier`.
    func delta(_ series: String, since earlier: MetricsScrape) -> Double { self[series] - earlier[series] }

    /// The mean of histogram `name` (with `labels`, e.g. `{store="postgres",role="connection"}`) over what was observed since `earlier`, seconds.
    func mean(_ name: String, labels: String = "", since earlier: MetricsScrape) -> (count: Double, mean: Double?) {
        let count = delta("\(name)_count\(labels)", since: earlier)
        return (count, count > 0 ? delta("\(name)_sum\(labels)", since: earlier) / count : nil)
    }

    /// The upper bound of the bucket holding quantile `q` of histogram `name` since `earlier`, seconds (nil without observations).
    func quantile(_ q: Double, _ name: String, labels: String = "", since earlier: MetricsScrape) -> Double? {
        let inner = labels.isEmpty ? "" : String(labels.dropFirst().dropLast()) + ","
        let prefix = "\(name)_bucket{\(inner)le=\""
        let buckets = samples.keys.filter { $0.hasPrefix(prefix) }.compactMap { key -> (Double, Double)? in
            let bound = key.dropFirst(prefix.count).dropLast(2)
            let le = bound == "+Inf" ? Double.infinity : Double(bound)
            return le.map { ($0, delta(key, since: earlier)) }
        }.sorted { $0.0 < $1.0 }
        guard let total = buckets.last?.1, total > 0 else { return nil }
        return buckets.first { $0.1 >= q * total }?.0
    }
}
