import Foundation
import HooklinePostgres
import Logging
import PostgresNIO

/// Samples `pg_stat_activity` of one database while a phase runs: how many sessions wait for an advisory lock
/// (Hookline's only one on the hot path is the event-order lock) and how many are active, every `interval`.
///
/// The mean count of waiting sessions times the window is the total time sessions spent waiting for the lock
/// (Little's law), independent of the nodes' own timing. The sample is a prepared statement, taken every 20 ms by
/// default: planned anew every 5 ms, it cost the server it measures ~4% of a core.
final class LockWaitSampler: Sendable {
    /// What the samples add up to.
    struct Figures: Codable, Sendable {
        /// Samples taken.
        var samples: Int
        /// Mean sessions waiting for an advisory lock.
        var meanWaiting: Double
        /// Largest count seen waiting at once.
        var maxWaiting: Int
        /// Share of samples with at least one session waiting.
        var busyShare: Double
        /// Mean sessions active (running a statement) in the database.
        var meanActive: Double
        /// CPU the server used while sampling (`PostgresServerCPU`), seconds; `nil` when it runs elsewhere. It includes
        /// the samples' own cost (~7 ms a second).
        var serverCPUSeconds: Double?
    }

    private let url: PostgresURL
    private let interval: Duration

    /// A sampler of the database `url` names.
    init(url: PostgresURL, interval: Duration = .milliseconds(20)) {
        self.url = url
        self.interval = interval
    }

    /// Samples until the calling task is cancelled; returns what it saw.
    func run() async -> Figures? {
        var logger = Logger(label: "lock-sampler")
        logger.logLevel = .error
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: logger)
        let sample = ActivitySample(database: url.database ?? "")
        return await withTaskGroup(of: Figures?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            // The server's CPU from the first sample to the last, when its processes are visible here.
            let postmaster = (try? await client.query("SELECT pg_backend_pid()::int4", logger: logger).collect().first)
                .flatMap { try? $0.decode(Int32.self) }
                .flatMap(PostgresServerCPU.postmaster(ofBackend:))
            let cpuBefore = postmaster.flatMap(PostgresServerCPU.seconds(postmaster:))
            var samples = 0
            var waiting = 0
            var maxWaiting = 0
            var busy = 0
            var active = 0
            while !Task.isCancelled {
                guard let rows = try? await client.execute(sample, logger: logger) else { break }
                do {
                    for try await (lockWaits, running) in rows {
                        samples += 1
                        waiting += Int(lockWaits)
                        maxWaiting = max(maxWaiting, Int(lockWaits))
                        if lockWaits > 0 { busy += 1 }
                        active += Int(running)
                    }
                } catch { break }
                try? await Task.sleep(for: interval)
            }
            let cpuAfter = postmaster.flatMap(PostgresServerCPU.seconds(postmaster:))
            group.cancelAll()
            guard samples > 0 else { return nil }
            return Figures(
                samples: samples, meanWaiting: Double(waiting) / Double(samples), maxWaiting: maxWaiting,
                busyShare: Double(busy) / Double(samples), meanActive: Double(active) / Double(samples),
                serverCPUSeconds: cpuAfter.flatMap { after in cpuBefore.map { after - $0 } })
        }
    }
}

/// One sample of a database's sessions: those waiting for an advisory lock, and those active.
private struct ActivitySample: PostgresPreparedStatement {
    static let sql = """
        SELECT count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory')::int8,
               count(*) FILTER (WHERE state = 'active')::int8
        FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
        """
    typealias Row = (Int64, Int64)

    /// The database sampled.
    var database: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(database)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
