import Foundation
import HooklineCore

/// Writes a finished history into a store through its bulk seeding path, generating the next batch while the
/// previous one commits.
struct HistorySeeder {
    /// What to write.
    struct Shape: Sendable {
        /// Finished messages to write.
        var messages: Int
        /// Applications (`seed-app-0` …), one endpoint (`seed-ep`) each; messages go to them in turn.
        var applications = 4
        /// The history spans this many days, ending `endsDaysAgo` days ago.
        var days = 7.0
        /// How many days ago the history ends (default 0: now).
        var endsDaysAgo = 0.0
        /// Whether the history's last 24 h get their events (an old history's were pruned long ago: `false`).
        var events = true
        /// Whether to load in bulk (`HistorySeeding.beginBulkSeeding()`): the secondary indexes are rebuilt over the whole
        /// file afterwards, so it pays on a new or small file, not when adding a little to a large one.
        var bulk = true
        /// Messages per transaction.
        var batch = 10_000
        /// Payload bytes per message.
        var payloadBytes = 1024
        /// Seeds the random ids and outcomes.
        var seed: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)
    }

    /// What a seeding wrote and how fast.
    struct Result: Codable, Sendable {
        /// Messages written.
        var messages: Int
        /// Attempts written.
        var attempts: Int
        /// Events written.
        var events: Int
        /// Wall-clock seconds, setup and index rebuild included.
        var seconds: Double
        /// Of which loading the rows (before the secondary indexes were rebuilt).
        var loadSeconds: Double
        /// Messages per second.
        var messagesPerSecond: Double { seconds > 0 ? Double(messages) / seconds : 0 }
        /// The seeded applications' ids, in target order.
        var applicationIds: [String]
        /// Their endpoints' ids, in target order.
        var endpointIds: [String]
    }

    let shape: Shape

    /// Creates (or finds) the applications and endpoints, then writes the history batch by batch.
    func seed<Store: HooklineStore & HistorySeeding>(into store: Store, progress: (Int) -> Void = { _ in }) async throws -> Result {
        let started = ContinuousClock.now
        let end = Date().addingTimeInterval(-shape.endsDaysAgo * 86_400)
        let start = end.addingTimeInterval(-shape.days * 86_400)
        var targets: [HistoryGenerator.Target] = []
        for index in 0..<shape.applications {
            targets.append(try await target(index: index, in: store, at: start))
        }
        var generator = HistoryGenerator(
            targets: targets, total: shape.messages, start: start, end: end, eventsSince: shape.events ? nil : end,
            payloadSize: shape.payloadBytes, seed: shape.seed)
        var attempts = 0
        var events = 0
        if shape.bulk { try await store.beginBulkSeeding() }
        do {
            var pending = generator.next(shape.batch)
            while !pending.isEmpty {
                let current = pending
                async let written: Void = store.seedHistory(current)
                let following = generator.next(shape.batch)
                try await written
                attempts += current.reduce(0) { $0 + $1.attempts.count }
                events += current.reduce(0) { $0 + $1.events.count }
                progress(generator.produced - following.count)
                pending = following
            }
        } catch {
            if shape.bulk { try? await store.finishBulkSeeding() }
            throw error
        }
        let loaded = started.duration(to: .now).inSeconds
        if shape.bulk { try await store.finishBulkSeeding() }
        return Result(
            messages: shape.messages, attempts: attempts, events: events, seconds: started.duration(to: .now).inSeconds, loadSeconds: loaded,
            applicationIds: targets.map(\.appId), endpointIds: targets.map(\.endpointId))
    }

    /// The application `seed-app-INDEX` and its endpoint `seed-ep`, created when missing.
    private func target(index: Int, in store: some HooklineStore, at time: Date) async throws -> HistoryGenerator.Target {
        let uid = "seed-app-\(index)"
        let application: Application
        if let existing = try await store.application(uid) {
            application = existing
        } else {
            application = Application(
                id: Identifier.make(.application, at: time), uid: uid, name: "Seeded history \(index)", metadata: [:], throttleRate: nil,
                createdAt: time, updatedAt: time)
            try await store.insertApplication(application)
        }
        if let endpoint = try await store.endpoint(appId: application.id, idOrUid: "seed-ep") {
            return .init(appId: application.id, endpointId: endpoint.id, url: endpoint.url)
        }
        let endpoint = Endpoint(
            id: Identifier.make(.endpoint, at: time), appId: application.id, uid: "seed-ep", url: "http://127.0.0.1:9/seeded",
            description: "seeded history", eventTypes: nil, channels: nil, disabled: false, secret: .random(), metadata: [:], headers: [:],
            throttleRate: nil, createdAt: time, updatedAt: time)
        try await store.insertEndpoint(endpoint)
        return .init(appId: application.id, endpointId: endpoint.id, url: endpoint.url)
    }
}
