import Foundation
import HooklineCore
import HooklineTesting
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(3))) struct StatusTests {
    /// A part whose reads are counted and which can be made to fail or hang.
    final class FakePart: Sendable {
        let reads = Atomic<Int>(0)
        let gate = WakeSignal()
        /// Raised after each read is counted.
        let read = WakeSignal()

        func part(_ name: String, behaviour: @escaping @Sendable () async throws -> JSONValue) -> StatusPart {
            StatusPart(name: name) { [self] in
                reads.add(1, ordering: .relaxed)
                read.signal()
                return try await behaviour()
            }
        }
    }

    struct Broken: Error {}

    @Test func failingOrSlowPartsAreUnavailableWithoutFailingTheWhole() async throws {
        let clock = ManualClock()
        let fake = FakePart()
        let board = StatusBoard(
            configuration: .init(ttl: .seconds(1), partTimeout: .milliseconds(200)),
            parts: [
                fake.part("fast") { .integer(7) },
                fake.part("broken") { throw Broken() },
                fake.part("slow") {
                    try await clock.sleep(until: .distantFuture); return .null
                },
            ],
            clock: clock)
        let pending = Task { await board.report() }
        // The slow part and the two timeouts sleep on the manual clock; move it past the part timeout.
        #expect(await clock.waitForSleepers(2))
        clock.advance(by: .milliseconds(250))
        let report = await pending.value
        #expect(report.parts["fast"] == .integer(7))
        #expect(report.parts["broken"]?["unavailable"] == .bool(true))
        #expect(report.parts["slow"]?["unavailable"] == .bool(true))
        #expect(report.parts["slow"]?["reason"] == .string("timed out"))
    }

    @Test func reportIsCachedAndComputedOnceForConcurrentCallers() async throws {
        let clock = ManualClock()
        let fake = FakePart()
        let board = StatusBoard(
            configuration: .init(ttl: .seconds(1), partTimeout: .seconds(30)),
            parts: [
                fake.part("gated") {
                    await fake.gate.wait(); return .bool(true)
                }
            ], clock: clock)
        let callers = (0..<20).map { _ in Task { await board.report() } }
        #expect(await Deadline.wait(timeout: .seconds(10), signal: fake.read) { fake.reads.load(ordering: .relaxed) == 1 })
        fake.gate.signal()
        var reports: [StatusReport] = []
        for caller in callers { reports.append(await caller.value) }
        #expect(Set(reports.map(\.generatedAt)).count == 1)
        #expect(board.computations == 1 && fake.reads.load(ordering: .relaxed) == 1, "single flight")
        clock.advance(by: .milliseconds(500))
        fake.gate.signal()
        _ = await board.report()
        #expect(board.computations == 1, "fresh within the TTL")
        clock.advance(by: .milliseconds(600))
        _ = await board.report()
        #expect(board.computations == 2 && fake.reads.load(ordering: .relaxed) == 2, "recomputed after the TTL")
    }

    @Test func statusEndpointAndDeliveryEventsEndToEnd() async throws {
        try await RecordingReceiver.with { receiver, receiverURL in
            try await TestNode.with(configure: { $0.status = .init(ttl: .zero, partTimeout: .seconds(60)) }) { node in
                let api = APIClient(baseURL: node.baseURL)
                let appId = try await StreamTests.app(api, "Status")
                let endpoint = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook"])
                let endpointId = try #require(endpoint.json["id"] as? String)
                let stream = try await StreamTests.open(node, "/api/v1/app/\(appId)/stream?endpoint_id=\(endpointId)")
                receiver.failNext(1)
                let messageId = try await StreamTests.send(api, appId)
                let events = await stream.waitForEvents(1, kind: "delivery.succeeded")
                #expect(events.first?.json["msgId"] as? String == messageId)
                let kinds = stream.events.compactMap(\.event)
                #expect(kinds == ["attempt.made", "delivery.failed", "attempt.made", "delivery.succeeded"], "got \(kinds)")
                stream.close()

                // Parts that may be slow on a loaded machine are given time: this test is about the figures, not timeouts.
                let reply = try await api.call("GET", "/api/v1/status")
                #expect(reply.status == 200)
                let json = reply.json
                let deliveries = try #require(json["deliveries"] as? [String: Any])
                #expect(deliveries["succeeded"] as? Int == 1 && deliveries["retrying"] as? Int == 1)
                #expect((deliveries["timeToSuccessMs"] as? [String: Any])?["p99"] is Int)
                #expect(deliveries["firstAttemptLatencyMs"] is NSNull, "the only success came on a retry")
                #expect((json["activity"] as? [String: Any])?["lastMessageAt"] is String)
                #expect((json["activity"] as? [String: Any])?["lastSuccessfulDeliveryAt"] is String)
                #expect((json["queue"] as? [String: Any])?["due"] as? Int == 0)
                #expect((json["endpoints"] as? [String: Any])?["disabled"] as? [Any] != nil)
                #expect(try await APIClient(baseURL: node.baseURL, apiKey: nil).call("GET", "/api/v1/status").status == 401)
            }
        }
    }
}
