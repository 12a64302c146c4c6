import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// Receivers that misbehave and a disk that fills up: nothing acknowledged may be lost.
@Suite(.timeLimit(.minutes(3))) struct FaultInjectionTests {
    static let patientSchedule: [Duration] = Array(repeating: .milliseconds(20), count: 12)

    @Test func flakyReceiverGetsEverythingAndAttemptsMatch() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with(retrySchedule: Self.patientSchedule) { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Flaky"]).json["id"] as? String)
                _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL])
                receiver.failRandomly(rate: 0.5, seed: 7)
                var sent: [String] = []
                for index in 0..<60 {
                    let reply = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "flaky", "payload": ["i": index]])
                    sent.append(try #require(reply.json["id"] as? String))
                }
                let ids = sent
                let allSucceeded = await node.waitUntil(timeout: .seconds(30)) {
                    for id in ids where try await node.store.deliveries(messageId: id).first?.state != .succeeded { return false }
                    return true
                }
                #expect(allSucceeded)
                let received = Dictionary(grouping: receiver.received, by: { $0.headers["webhook-id"] ?? "" }).mapValues(\.count)
                for id in sent {
                    let attempts = try await node.store.attempts(AttemptQuery(appId: appId, messageId: id, page: PageRequest(limit: 250)))
                    #expect(attempts.items.count == received[id], "attempts recorded for \(id) match requests received")
                    #expect(attempts.items.first?.status == .success)
                }
                #expect(receiver.received.count > sent.count, "the receiver did fail some requests")
            }
        }
    }

    @Test func hangingReceiverTimesOutAndIsRetried() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            // The first request is held until the test ends, so it can only time out; the retries are answered at once,
            // and only a machine too loaded to answer a loopback request within the deadline five times fails them.
            let retries: [Duration] = Array(repeating: .milliseconds(20), count: 5)
            try await TestNode.with(retrySchedule: retries, requestTimeout: .milliseconds(1500)) { node in
                defer { receiver.release() }
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Slow"]).json["id"] as? String)
                _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL])
                receiver.holdNext(1)
                let id = try #require(
                    try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "slow", "payload": [:]]).json["id"] as? String)
                #expect(await node.waitUntil(timeout: .seconds(20)) { try await node.store.deliveries(messageId: id).first?.state == .succeeded })
                let attempts = try await node.store.attempts(AttemptQuery(appId: appId, messageId: id)).items.reversed().map { $0 }
                #expect(
                    attempts.first?.status == .fail && attempts.last?.status == .success,
                    "\(attempts.map { "\($0.responseStatusCode) \($0.response)" })")
                #expect(attempts.first?.responseStatusCode == 0)
                #expect(attempts.first?.response.contains("timed out") == true, "\(attempts.first?.response ?? "")")
            }
        }
    }

    @Test func receiverDownThenBackBacksOffAndDeliversAll() async throws {
        let schedule: [Duration] = [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .milliseconds(3200),
        ]
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with(retrySchedule: schedule) { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Down"]).json["id"] as? String)
                _ = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL])
                receiver.failNext(1_000_000, status: 503)
                var sent: [String] = []
                for index in 0..<10 {
                    sent.append(
                        try #require(
                            try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "down", "payload": ["i": index]]).json["id"]
                                as? String))
                }
                #expect(await receiver.waitFor(10, timeout: .seconds(10)).count >= 10, "every message is tried while the receiver is down")
                await receiver.waitFor(1000, timeout: .seconds(1))
                let duringOutage = receiver.received.count
                #expect(duringOutage <= 10 * (schedule.count + 1), "backoff and the breaker bound the attempts: \(duringOutage)")
                receiver.failNext(0)
                let ids = sent
                let recovered = await node.waitUntil(timeout: .seconds(20)) {
                    for id in ids where try await node.store.deliveries(messageId: id).first?.state != .succeeded { return false }
                    return true
                }
                #expect(recovered, "all delivered once the receiver is back")
            }
        }
    }

    @Test func fullDiskAnswers503AndNeverAFalse202() async throws {
        try await TestNode.with { node in
            let api = APIClient(baseURL: node.baseURL)
            let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Full"]).json["id"] as? String)
            try await node.store.setMaxPageCount(try await node.store.pageCount() + 8)
            let padding = String(repeating: "x", count: 8000)
            var acknowledged: [String] = []
            var refusal: APIClient.Reply?
            for index in 0..<200 {
                let reply = try await api.call(
                    "POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "full", "payload": ["i": index, "pad": padding]])
                if reply.status == 202 {
                    acknowledged.append(try #require(reply.json["id"] as? String))
                } else {
                    refusal = reply
                    break
                }
            }
            let refused = try #require(refusal, "the store filled up")
            #expect(refused.status == 503)
            #expect(refused.json["code"] as? String == "service_unavailable")
            for id in acknowledged {
                #expect(try await api.call("GET", "/api/v1/app/\(appId)/msg/\(id)").status == 200, "acknowledged \(id) is stored")
            }
            try await node.store.setMaxPageCount(nil)
            #expect(
                try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "full", "payload": ["after": true]]).status == 202,
                "ingest recovers when space returns")
        }
    }
}
