import Foundation
import GRDB
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Testing

/// SIGKILL while a node works an endpoint recovery or a retention sweep (SQLite): after a restart nothing
/// acknowledged is lost and the work resumes at once (the dead process's leases are dropped at start-up, not
/// waited out), finishing what the killed node started.
@Suite(.serialized) struct KillDuringTasksTests {
    static let arguments = DurabilityTests.arguments

    /// Every message of `appId`: id → whether its payload is still there (a purged payload reads as `{}`).
    static func payloads(_ api: APIClient, appId: String) async throws -> [String: Bool] {
        var found: [String: Bool] = [:]
        var iterator: String?
        repeat {
            let reply = try await api.call("GET", "/api/v1/app/\(appId)/msg?limit=250" + (iterator.map { "&iterator=\($0)" } ?? ""))
            for message in reply.json["data"] as? [[String: Any]] ?? [] {
                if let id = message["id"] as? String { found[id] = !((message["payload"] as? [String: Any]) ?? [:]).isEmpty }
            }
            iterator = (reply.json["done"] as? Bool) == false ? reply.json["iterator"] as? String : nil
        } while iterator != nil
        return found
    }

    /// How far a killed node's sweep got, read from its file: payloads purged, and whether its lease is still held.
    static func sweepState(_ path: String) throws -> (purged: Int, leased: Bool) {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        return try database.read { db in
            let purged = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE payload_purged_at IS NOT NULL") ?? 0
            let leased = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cluster_lease WHERE name = 'retention'") ?? 0
            return (purged, leased > 0)
        }
    }

    /// Seeds `count` messages whose one delivery to `url` ended as `next` (failed: as if its retries were spent),
    /// straight into the file a node will open; returns the application id and the message ids.
    static func seed(_ count: Int, next: DeliveryOutcome.Next, url: String, path: String) async throws -> (appId: String, messageIds: Set<String>) {
        let store = try await SQLiteStore.open(path: path)
        let now = Date()
        let app = Fixtures.application(at: now)
        try await store.insertApplication(app)
        let endpoint = Fixtures.endpoint(app: app, uid: "rec", url: url, at: now)
        try await store.insertEndpoint(endpoint)
        var ids: Set<String> = []
        for chunk in stride(from: 0, to: count, by: 200) {
            let messages = (chunk..<min(count, chunk + 200)).map { _ in Fixtures.message(app: app, at: now) }
            _ = try await store.insertMessages(messages.map { NewMessage(message: $0, endpointIds: [endpoint.id], deliverAt: now) })
            ids.formUnion(messages.map(\.id))
        }
        while true {
            let claimed = try await store.claimDeliveries(ClaimRequest(now: now, limit: 500, leaseUntil: now.addingTimeInterval(60)))
            if claimed.isEmpty { break }
            try await store.completeDeliveries(claimed.map { DeliveryOutcome(claimed: $0, attempt: nil, next: next, now: now) })
        }
        return (app.id, ids)
    }

    /// A killed node's task as its file holds it: status and deliveries re-queued so far.
    static func taskState(_ path: String, id: String) throws -> (status: String, processed: Int) {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            let row = try Row.fetchOne(db, sql: "SELECT status, processed FROM background_task WHERE id = ?", arguments: [id])
            return (row?["status"] ?? "missing", row?["processed"] ?? 0)
        }
    }

    @Test func killDuringRecoveryResumesTheTaskAndDeliversEveryFailedMessage() async throws {
        let directory = try TemporaryDirectory()
        let count = 1200  // more than two of the runner's 500-delivery batches
        try await RecordingReceiver.with { receiver, receiverURL in
            let (appId, failed) = try await Self.seed(count, next: .failed, url: receiverURL + "/hook", path: directory.path + "/hookline.sqlite")
            let first = try HooklineProcess(arguments: Self.arguments + ["--data-dir", directory.path])
            let firstAPI = APIClient(baseURL: try await first.baseURL())
            let stats = try await firstAPI.call("GET", "/api/v1/app/\(appId)/endpoint/rec/stats").json
            #expect(stats["fail"] as? Int == count, "every message failed before the recovery: \(stats)")
            let before = receiver.received.count

            let since = Date().addingTimeInterval(-3600).formatted(.iso8601)
            let recover = try await firstAPI.call("POST", "/api/v1/app/\(appId)/endpoint/rec/recover", json: ["since": since])
            #expect(recover.status == 202)
            let taskId = try #require(recover.json["id"] as? String)
            _ = await first.terminate(SIGKILL)  // the task row is committed (answered 202); its batches are under way
            let deliveredBeforeKill = Set(receiver.received.dropFirst(before).compactMap { $0.headers["webhook-id"] })
            let killed = try Self.taskState(directory.path + "/hookline.sqlite", id: taskId)

            let second = try HooklineProcess(arguments: Self.arguments + ["--data-dir", directory.path])
            let api = APIClient(baseURL: try await second.baseURL())
            let finished = await Deadline.wait(timeout: .seconds(30), signal: receiver.arrivals) {
                let recovered = Set(receiver.received.dropFirst(before).compactMap { $0.headers["webhook-id"] })
                guard recovered.isSuperset(of: failed) else { return false }
                let status = try? await api.call("GET", "/api/v1/background-task/\(taskId)").json
                return status?["status"] as? String == "finished"
            }
            let task = try await api.call("GET", "/api/v1/background-task/\(taskId)").json
            let recovered = Set(receiver.received.dropFirst(before).compactMap { $0.headers["webhook-id"] })
            #expect(
                finished,
                "the task resumed after the restart and finished: \(task["status"] ?? "?"), \(failed.subtracting(recovered).count) not redelivered")
            #expect(recovered.isSuperset(of: failed), "every failed message is delivered again")
            print(
                "kill during recovery: task \(killed.status) with \(killed.processed) of \(count) re-queued and \(deliveredBeforeKill.count) redelivered at the kill, "
                    + "\(task["status"] ?? "?") with \(task["data"] ?? "?") after the restart")
            #expect(await second.terminate(SIGTERM) == 0)
        }
    }

    @Test func killDuringRetentionSweepLosesNothingAndTheSweepResumes() async throws {
        let directory = try TemporaryDirectory()
        let count = 3000  // six of the sweep's 500-row batches
        try await RecordingReceiver.with { receiver, receiverURL in
            // Committed and delivered messages, seeded in the file (sending 3000 through a loaded test machine is slow).
            let (appId, acknowledged) = try await Self.seed(
                count, next: .succeeded, url: receiverURL + "/hook", path: directory.path + "/hookline.sqlite")

            // Keeping payloads 1 ms, the next node sweeps them all at start-up; it is killed while it starts.
            let sweeping = Self.arguments + ["--data-dir", directory.path, "--retention", "1ms"]
            let second = try HooklineProcess(arguments: sweeping)
            _ = try await second.baseURL()
            _ = await second.terminate(SIGKILL)
            let killed = try Self.sweepState(directory.path + "/hookline.sqlite")

            let third = try HooklineProcess(arguments: sweeping)
            let api = APIClient(baseURL: try await third.baseURL())
            let stored = try await Self.payloads(api, appId: appId)
            #expect(
                Set(stored.keys) == acknowledged, "every acknowledged message is still there: \(acknowledged.subtracting(stored.keys).count) missing")
            // The dead node's sweep lease (two sweep intervals) is dropped at start-up, so this node sweeps at once.
            let swept = await Deadline.wait(timeout: .seconds(30), signal: receiver.arrivals) {
                (try? await Self.payloads(api, appId: appId).values.contains(true)) == false
            }
            let left = try await Self.payloads(api, appId: appId).values.filter { $0 }.count
            #expect(swept, "the sweep resumed after the restart and purged every finished payload: \(left) left")

            let after = await ClusterTests.send(20, to: [api], appId: appId)
            let delivered = await Deadline.wait(timeout: .seconds(30), signal: receiver.arrivals) {
                Set(receiver.received.compactMap { $0.headers["webhook-id"] }).isSuperset(of: after)
            }
            #expect(delivered, "the node delivers after the restart")
            for request in receiver.received where after.contains(request.headers["webhook-id"] ?? "") {
                let payload = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]
                #expect((payload?["data"] as? [String: Any] ?? payload)?["n"] != nil, "a new message is delivered with its payload")
            }
            print(
                "kill during retention sweep: \(killed.purged) of \(count) payloads purged before the kill (sweep lease held: \(killed.leased)), \(left) left after the restart's sweep"
            )
            #expect(await third.terminate(SIGTERM) == 0)
        }
    }
}
