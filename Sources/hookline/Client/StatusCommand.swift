import ArgumentParser
import HooklineCore

/// `hookline status`: the server's activity, queue, delivery outcomes and latency, and unhealthy endpoints.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the server's activity, queue, recent deliveries, latency and unhealthy endpoints.")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let report = try await options.client().call(.GET, "/api/v1/status")
        options.print(report) { StatusTable.table($0) }
    }
}

/// The status report as a two-column table (what, value).
enum StatusTable {
    /// One row per figure; a part the server could not compute says so.
    static func table(_ report: JSONValue) -> TextTable {
        var rows: [[String]] = []
        func part(_ name: String, _ rowsOf: (JSONValue) -> [[String]]) {
            guard let value = report[name] else { return }
            if value["unavailable"] == .bool(true) {
                rows.append([name, "unavailable (\(text(value["reason"])))"])
            } else {
                rows += rowsOf(value)
            }
        }
        part("activity") { activity in
            [["last message", text(activity["lastMessageAt"])], ["last success", text(activity["lastSuccessfulDeliveryAt"])]]
        }
        part("queue") { queue in
            [["queue", "\(text(queue["due"])) due, \(text(queue["scheduled"])) scheduled, \(text(queue["inFlight"])) in flight"]]
        }
        part("deliveries") { deliveries in
            let window = "last \((Int(text(deliveries["windowSeconds"])) ?? 0) / 60) min"
            let counts = ["attempts", "succeeded", "retrying", "exhausted", "canceled"].map { "\(text(deliveries[$0])) \($0)" }
            return [
                [window, counts.joined(separator: ", ")],
                ["first attempt", latency(deliveries["firstAttemptLatencyMs"])],
                ["time to success", latency(deliveries["timeToSuccessMs"])],
            ]
        }
        part("endpoints") { endpoints in
            func ids(_ key: String) -> String {
                guard case .array(let items)? = endpoints[key], !items.isEmpty else { return "none" }
                return items.map { item in item["endpointId"]?.cellText ?? "" }.joined(separator: ", ")
            }
            return [["open circuits", ids("circuits")], ["disabled endpoints", ids("disabled")]]
        }
        return TextTable(columns: ["STATUS", "VALUE"], rows: rows)
    }

    /// `p50/p95/p99` in milliseconds with the sample count, or `-` without successes.
    static func latency(_ value: JSONValue?) -> String {
        guard let value, value != .null else { return "-" }
        let count = text(value["count"])
        return
            "p50 \(text(value["p50"])) ms, p95 \(text(value["p95"])) ms, p99 \(text(value["p99"])) ms (\(count) \(count == "1" ? "delivery" : "deliveries"))"
    }

    private static func text(_ value: JSONValue?) -> String {
        guard let value, value != .null else { return "-" }
        return value.cellText
    }
}
