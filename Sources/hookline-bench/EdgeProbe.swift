import AsyncHTTPClient
import Foundation
import Histogram
import NIOCore

/// Phase h: the lightweight edges — `GET /api/v1/status` latency, and the inbound gateway's
/// acknowledgement latency at a fixed offered rate (`POST /in/{source}`, 1 KiB JSON, no signature).
///
/// The inbound source routes to an application without endpoints, so its messages add no deliveries
/// to the audit of phase f.
struct EdgeProbe: Sendable {
    /// Hookline's URL and credentials.
    var api: HooklineAPI
    /// Sequential status requests to time.
    var statusRequests = 500
    /// Offered rate of inbound requests per second.
    var inboundRate = 1000.0
    /// Length of the inbound schedule.
    var inboundDuration: Duration = .seconds(2)

    /// Runs both probes; a probe whose route is missing reports why.
    func run() async -> BenchReport.Edge {
        var edge = BenchReport.Edge()
        edge.status = await probeStatus()
        do {
            let path = try await createSource()
            edge.inbound = await probeInbound(path: path)
        } catch {
            edge.note = "inbound: not available (\(error))"
        }
        return edge
    }

    private func probeStatus() async -> LatencySummary? {
        var histogram = Histogram<UInt64>.latency()
        let clock = ContinuousClock()
        for _ in 0..<statusRequests {
            let started = clock.now
            guard let response = try? await api.client.execute(api.request(path: "/api/v1/status"), timeout: .seconds(5)),
                response.status == .ok
            else { return nil }
            _ = try? await response.body.collect(upTo: 1 << 20)
            histogram.record(started.duration(to: clock.now))
        }
        return LatencySummary(histogram)
    }

    private func createSource() async throws -> String {
        let appID = try await api.createApplication(name: "bench-inbound")
        var request = api.request(path: "/api/v1/source")
        request.method = .POST
        request.headers.replaceOrAdd(name: "content-type", value: "application/json")
        let body: [String: Any] = ["name": "bench", "app": appID, "verification": ["scheme": "none"]]
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let response = try await api.client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .created,
            let json = try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any],
            let path = json["ingestPath"] as? String
        else {
            throw BenchError.unexpectedResponse("create source", status: response.status.code, body: String(buffer: bytes))
        }
        return path
    }

    private func probeInbound(path: String) async -> BenchReport.Inbound {
        let clock = ContinuousClock()
        let count = Int(inboundRate * inboundDuration.inSeconds)
        let payload = ByteBuffer(string: #"{"type":"bench.inbound","pad":""# + String(repeating: "x", count: 980) + #""}"#)
        let url = api.baseURL + path
        let started = clock.now + .milliseconds(5)
        let latencies = await withTaskGroup(of: Duration?.self, returning: [Duration?].self) { group in
            for index in 0..<count {
                let due = started + .nanoseconds(Int64((Double(index) * 1e9 / inboundRate).rounded()))
                try? await clock.sleep(until: due)
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    request.method = .POST
                    request.headers.add(name: "content-type", value: "application/json")
                    request.body = .bytes(payload)
                    guard let response = try? await api.client.execute(request, timeout: .seconds(30)) else { return nil }
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    return (200..<300).contains(response.status.code) ? due.duration(to: clock.now) : nil
                }
            }
            var all: [Duration?] = []
            for await latency in group { all.append(latency) }
            return all
        }
        var histogram = Histogram<UInt64>.latency()
        for latency in latencies.compactMap({ $0 }) { histogram.record(latency) }
        return BenchReport.Inbound(
            offeredRate: inboundRate, acknowledged: latencies.count { $0 != nil }, errors: latencies.count { $0 == nil },
            latency: LatencySummary(histogram))
    }
}
