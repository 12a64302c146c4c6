import Foundation
import HooklineCore
import HooklineSQLite

/// The SQLite store alone, in the bench's own process: what the rows of the drain cost with no HTTP, no
/// engine and no scheduling around them, as a reference for phases 1 and 2.
///
/// The shapes are the node's: messages of the bench's payload size committed in fsync'd batches of 32 (the
/// group committer's typical batch at 64 connections), then claims of 64 due rows and completions of 32
/// successful attempts, one after another on one task. CPU is the bench process's `utime + stime` over each
/// part, so the figures include GRDB's queue hop per transaction but nothing of Hookline's server.
struct StoreFloorPhase {
    /// What the store alone cost.
    struct Figures: Encodable, Sendable {
        /// Messages written (each with one delivery row), then claimed and completed.
        var messages: Int
        /// Messages per ingest transaction.
        var ingestBatch: Int
        /// CPU per message for the fsync'd ingest commits, µs.
        var ingestCPUUs: Double?
        /// Messages committed per second, on one task.
        var ingestPerSecond: Double
        /// CPU per delivery for its claim and its completion (attempt, two events), µs.
        var drainCPUUs: Double?
        /// Of which the claims, µs per delivery.
        var claimCPUUs: Double
        /// Of which the completions, µs per delivery.
        var completionCPUUs: Double
        /// Deliveries claimed and completed per second, on one task.
        var drainPerSecond: Double
    }

    /// Where the phase's database file goes (removed afterwards).
    let directory: String
    /// Messages to write, claim and complete.
    let messages: Int
    /// The payload of every message.
    let payload: Data
    /// Messages per ingest transaction.
    var ingestBatch = 32
    /// Outcomes per completion.
    var completionBatch = 32

    /// Rows per claim.
    static let claimBatch = 64

    /// Writes, claims and completes `messages` messages in a fresh store; returns the CPU each part cost.
    func run() async throws -> Figures {
        let path = directory + "/store-floor.sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let store = try SQLiteStore(path: path)
        let start = Date()
        let application = Application(
            id: Identifier.make(.application, at: start), uid: "store-floor", name: "Store floor", metadata: [:], throttleRate: nil,
            createdAt: start, updatedAt: start)
        try await store.insertApplication(application)
        let endpoint = Endpoint(
            id: Identifier.make(.endpoint, at: start), appId: application.id, uid: "store-floor", url: "http://127.0.0.1:9/floor",
            description: "store floor", eventTypes: nil, channels: nil, disabled: false, secret: .random(), metadata: [:], headers: [:],
            throttleRate: nil, createdAt: start, updatedAt: start)
        try await store.insertEndpoint(endpoint)

        let ingestCPU = CPUSample.take(serverPID: nil)
        let ingestClock = ContinuousClock.now
        var written = 0
        while written < messages {
            let now = Date()
            let batch = (0..<min(ingestBatch, messages - written)).map { _ in
                NewMessage(
                    message: Message(
                        id: Identifier.make(.message, at: now), appId: application.id, eventType: "bench.event", eventId: nil, payload: payload,
                        channels: nil, tags: nil, createdAt: now),
                    endpointIds: [endpoint.id], deliverAt: now)
            }
            _ = try await store.insertMessages(batch)
            written += batch.count
        }
        let ingestSeconds = ingestClock.duration(to: .now).inSeconds
        let ingestSpent = ingestCPU.spent(until: CPUSample.take(serverPID: nil)).bench

        let drainCPU = CPUSample.take(serverPID: nil)
        let drainClock = ContinuousClock.now
        var completed = 0
        var claiming = Duration.zero
        var completing = Duration.zero
        while completed < messages {
            let now = Date()
            let claimStart = Self.processCPU()
            // As the engine asks: with its in-flight counts (nothing is in flight between these claims).
            let request = ClaimRequest(now: now, limit: Self.claimBatch, leaseUntil: now.addingTimeInterval(60), inFlightByEndpoint: [:])
            let claimed = try await store.claimDeliveries(request)
            claiming += Self.processCPU() - claimStart
            guard !claimed.isEmpty else { throw BenchError.io("store floor: only \(completed) of \(messages) deliveries were due") }
            for part in stride(from: 0, to: claimed.count, by: completionBatch) {
                let finished = Date()
                let outcomes = claimed[part..<min(part + completionBatch, claimed.count)].map { delivery in
                    DeliveryOutcome(
                        claimed: delivery, attempt: Self.success(delivery, endpoint: endpoint, at: finished), next: .succeeded, now: finished)
                }
                let completionStart = Self.processCPU()
                try await store.completeDeliveries(CompletionPlan(outcomes))
                completing += Self.processCPU() - completionStart
            }
            completed += claimed.count
        }
        let drainSeconds = drainClock.duration(to: .now).inSeconds
        let drainSpent = drainCPU.spent(until: CPUSample.take(serverPID: nil)).bench

        return Figures(
            messages: messages, ingestBatch: ingestBatch, ingestCPUUs: ingestSpent.map { $0.inSeconds * 1e6 / Double(messages) },
            ingestPerSecond: Double(messages) / max(ingestSeconds, 1e-9), drainCPUUs: drainSpent.map { $0.inSeconds * 1e6 / Double(messages) },
            claimCPUUs: claiming.inSeconds * 1e6 / Double(messages), completionCPUUs: completing.inSeconds * 1e6 / Double(messages),
            drainPerSecond: Double(messages) / max(drainSeconds, 1e-9))
    }

    /// The CPU time of every thread of this process so far.
    private static func processCPU() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// The attempt a 200 from the receiver records.
    private static func success(_ claimed: ClaimedDelivery, endpoint: Endpoint, at time: Date) -> Attempt {
        Attempt(
            id: Identifier.make(.attempt, at: time), messageId: claimed.message.id, endpointId: endpoint.id, appId: claimed.message.appId,
            url: endpoint.url, responseStatusCode: 200, response: "", durationMs: 0, status: .success, trigger: .scheduled, timestamp: time)
    }
}
