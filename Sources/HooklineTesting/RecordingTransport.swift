import Foundation
import HooklineCore
import Synchronization

/// A transport that records requests and answers from a script, for engine tests without sockets.
public final class RecordingTransport: DeliveryTransport {
    private struct State {
        var requests: [OutboundRequest] = []
        var script: [TransportResponse] = []
    }

    private let state = Mutex(State())
    private let received = WakeSignal()

    /// Creates a transport that answers 200 unless scripted otherwise.
    public init() {}

    /// Queues responses to give, in order, before falling back to 200.
    public func script(_ responses: [TransportResponse]) {
        state.withLock { $0.script += responses }
    }

    /// The requests received so far.
    public var requests: [OutboundRequest] { state.withLock { $0.requests } }

    /// Records `request` and answers with the next scripted response.
    public func send(_ request: OutboundRequest) async -> TransportResponse {
        let response = state.withLock { state -> TransportResponse in
            state.requests.append(request)
            return state.script.isEmpty ? TransportResponse(statusCode: 200, body: "ok") : state.script.removeFirst()
        }
        received.signal()
        return response
    }

    /// Waits until at least `count` requests arrived, or `timeout` of real time passed; returns the count.
    @discardableResult
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(10)) async -> Int {
        await Deadline.wait(timeout: timeout, signal: received) { self.requests.count >= count }
        return requests.count
    }
}
