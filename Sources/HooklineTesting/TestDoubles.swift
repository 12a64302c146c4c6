import Foundation
import HooklineCore
import Synchronization

/// Small factories for model values in tests.
package enum Fixtures {
    /// The Standard Webhooks test secret.
    package static let secret = try! EndpointSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")

    /// An application created at `time`.
    package static func application(uid: String? = nil, at time: Date) -> Application {
        Application(
            id: Identifier.make(.application, at: time), uid: uid, name: "Test app", metadata: ["team": "qa"], throttleRate: nil, createdAt: time,
            updatedAt: time)
    }

    /// An endpoint of `app` created at `time`.
    package static func endpoint(app: Application, uid: String? = nil, url: String = "http://127.0.0.1:9/hook", at time: Date) -> Endpoint {
        Endpoint(
            id: Identifier.make(.endpoint, at: time), appId: app.id, uid: uid, url: url, description: "", eventTypes: nil,
            channels: nil, disabled: false, secret: secret, metadata: [:], headers: [:], throttleRate: nil,
            createdAt: time, updatedAt: time)
    }

    /// A message of `app` created at `time`.
    package static func message(app: Application, eventId: String? = nil, at time: Date) -> Message {
        Message(
            id: Identifier.make(.message, at: time), appId: app.id, eventType: "user.created", eventId: eventId,
            payload: Data(#"{"hello":"world"}"#.utf8), channels: nil, tags: nil, createdAt: time)
    }

    /// An attempt for a claimed delivery.
    package static func attempt(for claimed: ClaimedDelivery, status: AttemptStatus, code: Int, at time: Date) -> Attempt {
        Attempt(
            id: Identifier.make(.attempt, at: time), messageId: claimed.message.id, endpointId: claimed.delivery.endpointId,
            appId: claimed.message.appId, url: claimed.endpoint?.url ?? "", responseStatusCode: code, response: "",
            durationMs: 1, status: status, trigger: .scheduled, timestamp: time)
    }
}

/// A resolver with a fixed table of answers, for tests that must not depend on DNS.
package struct StaticResolver: HostResolving {
    /// Addresses per host name (lowercased).
    package var table: [String: [IPAddress]]

    /// Creates a resolver answering from `table` (host → textual addresses); IP literals resolve to themselves.
    package init(_ table: [String: [String]]) {
        self.table = Dictionary(uniqueKeysWithValues: table.map { ($0.key.lowercased(), $0.value.compactMap(IPAddress.init)) })
    }

    /// The table's answer for `host`; empty when it has none.
    package func addresses(of host: String) async -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return table[host.lowercased()] ?? []
    }
}

/// A transport that records requests and answers from a script, for engine tests without sockets.
package final class RecordingTransport: DeliveryTransport {
    private struct State {
        var requests: [OutboundRequest] = []
        var script: [TransportResponse] = []
        var held = false
    }

    private let state = Mutex(State())
    private let received = WakeSignal()
    private let gate = WakeSignal()

    /// Creates a transport that answers 200 unless scripted otherwise.
    package init() {}

    /// Queues responses to give, in order, before falling back to 200.
    package func script(_ responses: [TransportResponse]) {
        state.withLock { $0.script += responses }
    }

    /// The requests received so far.
    package var requests: [OutboundRequest] { state.withLock { $0.requests } }

    /// Leaves every request from now on unanswered until `release()`, as a receiver that hangs (its slot stays taken).
    package func hold() {
        state.withLock { $0.held = true }
    }

    /// Answers the held requests, and every later one at once.
    package func release() {
        state.withLock { $0.held = false }
        gate.signal()
    }

    /// Records `request` and answers with the next scripted response.
    package func send(_ request: OutboundRequest) async -> TransportResponse {
        let response = state.withLock { state -> TransportResponse in
            state.requests.append(request)
            return state.script.isEmpty ? TransportResponse(statusCode: 200, body: "ok") : state.script.removeFirst()
        }
        received.signal()
        while state.withLock({ $0.held }), !Task.isCancelled { await gate.wait() }
        return response
    }

    /// Waits until at least `count` requests arrived, or `timeout` of real time passed; returns the count.
    @discardableResult
    package func waitForRequests(_ count: Int, timeout: Duration = .seconds(10)) async -> Int {
        await Deadline.wait(timeout: timeout, signal: received) { self.requests.count >= count }
        return requests.count
    }
}
