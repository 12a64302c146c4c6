import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Synchronization
import Testing

@Suite(.serialized, .timeLimit(.minutes(5))) struct BackupRestoreTests {
    static let total = 5_000

    @Test func backupDuringIngestRestoresEveryAcknowledgedMessageAndDeliversThePendingOnes() async throws {
        let live = try TemporaryDirectory()
        let restored = try TemporaryDirectory()
        let backupFile = live.path + "/backup.sqlite"
        try await RecordingReceiver.with { receiver, receiverURL in
            // One slow delivery slot: the backlog grows while 5,000 messages come in, so the backup holds pending deliveries.
            receiver.delayNext(Self.total, by: .milliseconds(20))
            let first = try HooklineProcess(arguments: DurabilityTests.arguments + ["--data-dir", live.path, "--concurrency", "1"])
            let api = APIClient(baseURL: try await first.baseURL())
            #expect(try await api.call("POST", "/api/v1/app", json: ["name": "Shop", "uid": "shop"]).status == 201)
            #expect(try await api.call("POST", "/api/v1/app/shop/endpoint", json: ["url": receiverURL + "/hook"]).status == 201)

            let acknowledged = AcknowledgedLog()
            let progress = WakeSignal()
            var beforeBackup: Set<String> = []
            var acknowledgedWhenBackupEnded = 0
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        for index in stride(from: worker, to: Self.total, by: 16) {
                            let reply = try await api.call(
                                "POST", "/api/v1/app/shop/msg", json: ["eventType": "order.paid", "payload": ["n": index]])
                            guard reply.status == 202, let id = reply.json["id"] as? String else {
                                throw ConformanceFailure(description: "ingest failed: \(reply.status)")
                            }
                            acknowledged.ids.withLock { $0.append(id) }
                            progress.signal()
                        }
                    }
                }
                #expect(await Deadline.wait(timeout: .seconds(120), signal: progress) { acknowledged.ids.withLock { $0.count } >= 1_500 })
                beforeBackup = Set(acknowledged.ids.withLock { $0 })
                let backup = try await CLIRunner(server: "").run(["backup", "--to", backupFile, "--data-dir", live.path])
                acknowledgedWhenBackupEnded = acknowledged.ids.withLock { $0.count }
                #expect(backup.status == 0, "\(backup.stderr)")
                #expect(backup.stdout.contains("integrity_check ok"))
                try await group.waitForAll()
            }
            #expect(acknowledgedWhenBackupEnded < Self.total, "the backup ran while ingest went on")
            await first.terminate(SIGKILL)
            #expect(acknowledged.ids.withLock { $0.count } == Self.total)

            let snapshot = try SQLiteBackup.check(backupFile)
            #expect(snapshot.messages >= beforeBackup.count && snapshot.messages < Self.total)
            #expect(snapshot.activeDeliveries > 0, "some deliveries were still pending in the backup")
            let restore = try await CLIRunner(server: "").run(["restore", "--from", backupFile, "--data-dir", restored.path])
            #expect(restore.status == 0, "\(restore.stderr)")
            let again = try await CLIRunner(server: "").run(["restore", "--from", backupFile, "--data-dir", restored.path])
            #expect(again.status != 0 && again.stderr.contains("empty data directory"), "a restore never overwrites a database")
            #expect(try SQLiteBackup.check(restored.path + "/hookline.sqlite").messages == snapshot.messages, "integrity_check passes")

            receiver.delayNext(0, by: .zero)
            let deliveredBefore = receiver.received.count
            let second = try HooklineProcess(arguments: DurabilityTests.arguments + ["--data-dir", restored.path])
            let restarted = APIClient(baseURL: try await second.baseURL())
            var stored: Set<String> = []
            var iterator = ""
            while true {
                let page = try await restarted.call("GET", "/api/v1/app/shop/msg?limit=250" + (iterator.isEmpty ? "" : "&iterator=\(iterator)"))
                stored.formUnion((page.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                guard page.json["done"] as? Bool == false, let next = page.json["iterator"] as? String else { break }
                iterator = next
            }
            #expect(stored.count == snapshot.messages)
            #expect(stored.isSuperset(of: beforeBackup), "every message acknowledged before the backup began is served")
            let all = await receiver.waitFor(deliveredBefore + snapshot.activeDeliveries, timeout: .seconds(120))
            let afterRestore = Set(all.dropFirst(deliveredBefore).compactMap { $0.headers["webhook-id"] })
            #expect(afterRestore.count >= snapshot.activeDeliveries, "the pending deliveries are delivered after start")
            #expect(afterRestore.isSubset(of: stored))
            let everDelivered = Set(all.compactMap { $0.headers["webhook-id"] })
            #expect(everDelivered.isSuperset(of: stored), "every restored message reached the receiver")
            #expect(await second.terminate(SIGTERM) == 0)
        }
    }
}

/// Message ids acknowledged so far, shared by the ingest workers.
final class AcknowledgedLog: Sendable {
    let ids = Mutex<[String]>([])
}
