import Foundation

/// One node's recovery run: a backlog due at once, then a steady paced load, sampled each second from `/metrics`.
struct RecoveryRun {
    /// One second of the steady load.
    struct Second: Codable, Sendable {
        /// Messages accepted in the second.
        var accepted: Double
        /// Deliveries that succeeded in the second.
        var delivered: Double
        /// Deliveries leased at commit in the second.
        var leasedAtCommit: Double
        /// Deliveries created and not yet delivered at the second's end.
        var backlog: Double
    }

    /// One node's figures.
    struct Figures: Codable, Sendable {
        /// The store.
        var label: String
        /// Endpoints per message.
        var endpoints: Int
        /// Messages/s offered during the load.
        var offered: Double
        /// Whether the backlog was all ingested before it became due.
        var backlogIngestedBeforeDue: Bool
        /// Each second of the load.
        var seconds: [Second] = []
        /// Messages/s accepted over the load.
        var acceptedPerSecond = 0.0
        /// Deliveries/s over the load.
        var deliveredPerSecond = 0.0
        /// Deliveries/s leased at commit over the load.
        var leasedAtCommitPerSecond = 0.0
        /// Deliveries owed when the backlog became due.
        var backlogAtStart = 0.0
        /// Deliveries owed when the load ended.
        var backlogAtEnd = 0.0
        /// Seconds from the load's end until every delivery was made (nil: not within the timeout).
        var drainedAfterSeconds: Double?
        /// Acknowledged messages that did not reach every endpoint.
        var lost = 0
        /// Acknowledged messages delivered to some endpoint more than once.
        var duplicates = 0
    }

    let wrk: WrkLoad
    let arrivals: ArrivalLog
    let endpointURL: String
    let endpoints: Int
    let backlog: Int
    let rate: Double
    let seconds: Int
    let drainTimeout: Duration

    /// Sets up the application on `api`'s node, runs the backlog and the load, and audits the deliveries.
    func run(label: String, api: HooklineAPI, pid: Int32) async throws -> Figures {
        let applicationID = try await api.createApplication(name: "recovery")
        for index in 0..<endpoints {
            _ = try await api.createEndpoint(applicationID: applicationID, url: endpointURL + "?endpoint=\(index)")
        }
        let url = api.baseURL + "/api/v1/app/\(applicationID)/msg"
        // Due once the backlog is in at 1 500 messages/s or more (both stores ingest faster), on a whole second.
        let due = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + Double(backlog) / 1500 + 3).rounded(.up))
        Console.progress("\(label): ingesting \(backlog) messages due at \(due.formatted(Date.ISO8601FormatStyle()))")
        let ingested = try await wrk.run(
            .init(
                name: "\(label)-backlog", url: url, apiKey: api.apiKey, duration: .seconds(120),
                quotaPerThread: (backlog + wrk.threads - 1) / wrk.threads, deliverAt: due.formatted(Date.ISO8601FormatStyle())))
        var figures = Figures(label: label, endpoints: endpoints, offered: rate, backlogIngestedBeforeDue: Date() < due)
        if due > Date() { try await Task.sleep(for: .seconds(due.timeIntervalSinceNow)) }

        Console.progress("\(label): backlog due; offering \(Int(rate)) messages/s for \(seconds) s")
        let first = try await MetricsScrape.take(api)
        figures.backlogAtStart = owed(first)
        let (wrk, steady) = (
            self.wrk,
            WrkLoad.Run(
                name: "\(label)-load", url: url, apiKey: api.apiKey, duration: .seconds(seconds), ratePerThread: rate / Double(wrk.threads))
        )
        async let load = wrk.run(steady)
        var previous = first
        for _ in 0..<seconds {
            try await Task.sleep(for: .seconds(1))
            let scrape = try await MetricsScrape.take(api)
            figures.seconds.append(
                Second(
                    accepted: Self.created(scrape) - Self.created(previous), delivered: Self.delivered(scrape) - Self.delivered(previous),
                    leasedAtCommit: Self.leased(scrape) - Self.leased(previous), backlog: owed(scrape)))
            previous = scrape
        }
        let loaded = try await load
        let last = try await MetricsScrape.take(api)
        let loadEnded = ContinuousClock.now
        let elapsed = max(loaded.finished - loaded.started, 0.001)
        figures.acceptedPerSecond = (Self.created(last) - Self.created(first)) / elapsed
        figures.deliveredPerSecond = (Self.delivered(last) - Self.delivered(first)) / elapsed
        figures.leasedAtCommitPerSecond = (Self.leased(last) - Self.leased(first)) / elapsed
        figures.backlogAtEnd = owed(last)

        let ids = (ingested.acknowledged + loaded.acknowledged).map(\.id)
        Console.progress("\(label): waiting for \(Int(figures.backlogAtEnd)) deliveries")
        // Done when nginx's log (flushed every 200 ms) holds every endpoint's copy of every acknowledged message.
        var incomplete = ids
        while true {
            arrivals.refresh()
            incomplete = incomplete.filter { (arrivals.counts[$0] ?? 0) < endpoints }
            if incomplete.isEmpty || loadEnded.duration(to: .now) >= drainTimeout { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        if incomplete.isEmpty { figures.drainedAfterSeconds = loadEnded.duration(to: .now).inSeconds }
        figures.lost = incomplete.count
        figures.duplicates = ids.count { (arrivals.counts[$0] ?? 0) > endpoints }
        return figures
    }

    /// Deliveries created (every endpoint's row of every message) and not yet delivered.
    private func owed(_ scrape: MetricsScrape) -> Double {
        Self.created(scrape) * Double(endpoints) - Self.delivered(scrape)
    }

    private static func created(_ scrape: MetricsScrape) -> Double { scrape["hookline_messages_created_total"] }
    private static func delivered(_ scrape: MetricsScrape) -> Double { scrape["hookline_delivery_outcomes_total{outcome=\"succeeded\"}"] }
    private static func leased(_ scrape: MetricsScrape) -> Double { scrape["hookline_deliveries_leased_at_commit_total"] }

    /// The per-second rows and the summary of every node.
    static func table(_ results: [Figures]) -> TextTable {
        var table = TextTable()
        for figures in results {
            table.section(
                "\(figures.label): \(figures.endpoints) endpoints, \(Int(figures.offered)) messages/s offered",
                columns: ["accepted", "delivered", "at commit", "backlog"])
            for (index, second) in figures.seconds.enumerated() {
                table.row(
                    "second \(index + 1)", format(second.accepted), format(second.delivered), format(second.leasedAtCommit), format(second.backlog))
            }
            table.row(
                "per second over the load", format(figures.acceptedPerSecond), format(figures.deliveredPerSecond),
                format(figures.leasedAtCommitPerSecond), "")
            table.row("backlog at start → end", "", "", "", "\(format(figures.backlogAtStart)) → \(format(figures.backlogAtEnd))")
            table.row("caught up during the load", "", "", "", figures.backlogAtEnd <= figures.offered * Double(figures.endpoints) ? "yes" : "no")
            table.row(
                "drained after the load, s", "", "", "", figures.drainedAfterSeconds.map { String(format: "%.1f", $0) } ?? "not within the timeout")
            table.row("backlog ingested before due", "", "", "", figures.backlogIngestedBeforeDue ? "yes" : "no")
            table.row("lost / duplicated messages", "", "", "", "\(figures.lost) / \(figures.duplicates)")
        }
        return table
    }

    private static func format(_ value: Double) -> String { String(format: "%.0f", value) }
}
