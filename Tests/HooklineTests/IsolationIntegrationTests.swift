import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// One bad endpoint never hurts the others: caps, throttles, breakers and 410, on real sockets.
@Suite(.timeLimit(.minutes(5))) struct IsolationIntegrationTests {
    func setUp(_ api: APIClient, urls: [String], throttle: Int? = nil) async throws -> (String, [String]) {
        let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Isolation"]).json["id"] as? String)
        var endpoints: [String] = []
        for url in urls {
            var body: [String: Any] = ["url": url]
            if let throttle { body["throttleRate"] = throttle }
            endpoints.append(try #require(try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: body).json["id"] as? String))
        }
        return (appId, endpoints)
    }

    @Test func hangingEndpointDoesNotDelayAHealthyOne() async throws {
        try await RecordingReceiver.with { slow, slowURL in
            try await RecordingReceiver.with { fast, fastURL in
                // A deadline (and leases) beyond the test: the hanging receiver answers when the test releases it, never by
                // timing out, however long a loaded machine takes to deliver the healthy endpoint's messages.
                try await TestNode.with(
                    requestTimeout: .seconds(600), governor: .init(maxInFlightPerEndpoint: 4),
                    configure: { $0.engine.leaseDuration = .seconds(900) }
                ) { node in
                    let api = APIClient(baseURL: node.baseURL)
                    slow.holdNext(1000)
                    defer { slow.release() }  // a failed expectation must not leave the receiver's shutdown waiting
                    let (appId, _) = try await setUp(api, urls: [slowURL + "/slow", fastURL + "/fast"])
                    for index in 0..<24 {
                        #expect(
                            try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "e", "payload": ["i": index]]).status == 202)
                    }
                    #expect(await fast.waitFor(24, timeout: .seconds(10)).count == 24, "the healthy endpoint gets everything")
                    #expect(slow.received.count <= 4, "while the hanging one holds its cap of 4 (\(slow.received.count))")
                    slow.release()
                    #expect(await slow.waitFor(24, timeout: .seconds(40)).count == 24, "and the hanging one gets everything too")
                }
            }
        }
    }

    /// Issue 12's isolation target as a property: while a hanging endpoint has hundreds of deliveries queued behind
    /// its cap, each fresh delivery to a healthy endpoint is leased in its own commit and started from memory, so
    /// it never waits behind the hanging endpoint's claims or deferrals (the benchmark measures the latency).
    @Test func healthyDeliveriesSkipTheQueueBehindAHangingEndpoint() async throws {
        try await RecordingReceiver.with { slow, slowURL in
            try await RecordingReceiver.with { fast, fastURL in
                try await TestNode.with(governor: .init(maxInFlightPerEndpoint: 4)) { node in
                    let api = APIClient(baseURL: node.baseURL)
                    slow.delayNext(10_000, by: .seconds(2))
                    let appId = try #require(try await api.call("POST", "/api/v1/app", json: ["name": "Backlog"]).json["id"] as? String)
                    for (url, type) in [(slowURL + "/slow", "slow"), (fastURL + "/fast", "fast")] {
                        let endpoint = try await api.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": url, "filterTypes": [type]])
                        #expect(endpoint.status == 201)
                    }
                    for index in 0..<400 {
                        #expect(
                            try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "slow", "payload": ["i": index]]).status == 202
                        )
                    }
                    let handoff = try #require(node.handoff)
                    let before = handoff.handedCount
                    for index in 0..<100 {
                        #expect(
                            try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "fast", "payload": ["i": index]]).status == 202
                        )
                        #expect(await fast.waitFor(index + 1).count == index + 1, "healthy message \(index) delivered")
                    }
                    #expect(handoff.handedCount - before == 100, "every healthy delivery was leased at commit and started from memory")
                    #expect(slow.received.count < 400, "while the hanging endpoint still works through its backlog")
                }
            }
        }
    }

    @Test func throttleRateIsRespected() async throws {
        try await RecordingReceiver.with { receiver, url in
            try await TestNode.with { node in
                let api = APIClient(baseURL: node.baseURL)
                let (appId, _) = try await setUp(api, urls: [url], throttle: 20)
                let started = Date()
                for index in 0..<50 {
                    _ = try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "t", "payload": ["i": index]])
                }
                let received = await receiver.waitFor(50, timeout: .seconds(20))
                #expect(received.count == 50)
                let span = (received.map(\.receivedAt).max() ?? started).timeIntervalSince(started)
                #expect(span >= 1.3, "20/s with a burst of 20 needs at least 1.5 s for 50 messages, took \(span)")
            }
        }
    }

    @Test func breakerOpensDefersWithoutSpendingAttemptsAndCloses() async throws {
        let breaker = CircuitBreaker.Configuration(
            consecutiveFailures: 3, failureRatio: 1, minimumCalls: 100, window: .seconds(60), openDuration: .seconds(3))
        try await RecordingReceiver.with { receiver, url in
            try await TestNode.with(
                retrySchedule: Array(repeating: .milliseconds(10), count: 5), governor: .init(maxInFlightPerEndpoint: 1, breaker: breaker)
            ) { node in
                let api = APIClient(baseURL: node.baseURL)
                let (appId, _) = try await setUp(api, urls: [url])
                receiver.failNext(3)
                var ids: [String] = []
                for index in 0..<5 {
                    ids.append(
                        try #require(
                            try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "b", "payload": ["i": index]]).json["id"]
                                as? String))
                }
                let arrivals = await receiver.waitFor(8, timeout: .seconds(15)).map(\.receivedAt)
                #expect(arrivals.count == 8, "a probe closes the circuit and the rest flow")
                if arrivals.count >= 4 {
                    let pause = arrivals[3].timeIntervalSince(arrivals[2])
                    #expect(
                        pause >= 1.5, "nothing is sent while the circuit is open (3 s); the retry schedule alone would wait 10 ms, waited \(pause) s")
                }
                let sent = ids
                let delivered = await node.waitUntil(timeout: .seconds(10)) {
                    for id in sent where try await node.store.deliveries(messageId: id).first?.state != .succeeded { return false }
                    return true
                }
                #expect(delivered, "no delivery was exhausted by the outage: deferrals spend no attempts")
            }
        }
    }

    @Test func goneDisablesTheEndpoint() async throws {
        try await RecordingReceiver.with { receiver, url in
            try await TestNode.with { node in
                let api = APIClient(baseURL: node.baseURL)
                let (appId, endpoints) = try await setUp(api, urls: [url])
                receiver.failNext(1, status: 410)
                let id = try #require(
                    try await api.call("POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "g", "payload": [:]]).json["id"] as? String)
                #expect(await node.waitUntil(timeout: .seconds(10)) { try await node.store.deliveries(messageId: id).first?.state == .failed })
                let endpoint = try await api.call("GET", "/api/v1/app/\(appId)/endpoint/\(endpoints[0])")
                #expect(endpoint.json["disabled"] as? Bool == true)
                #expect(receiver.received.count == 1, "410 is not retried")
            }
        }
    }
}
