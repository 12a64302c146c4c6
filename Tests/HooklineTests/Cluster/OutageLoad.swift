import Foundation
import HooklineCore
import HooklineTesting
import Synchronization
import Testing

/// Clients sending messages through a database outage, each request with a unique marker in its payload.
///
/// Plain clients send each marker once, whatever the answer. Keyed clients send each marker with an
/// `Idempotency-Key` equal to the marker and repeat it, same key and body, until it is answered 2xx.
final class OutageLoad: Sendable {
    /// One answer a client got.
    struct Answer: Sendable {
        /// The marker in the request's payload (also its idempotency key when keyed).
        var marker: String
        /// Whether the request carried an idempotency key.
        var keyed: Bool
        /// The HTTP status, or 0 when the request itself failed.
        var status: Int
        /// The error code of a non-2xx answer.
        var code: String?
        /// The message id of a 2xx answer.
        var id: String?
        /// When the request was sent.
        var sent: ContinuousClock.Instant
        /// When the answer arrived.
        var at: ContinuousClock.Instant
    }

    let api: APIClient
    let appId: String
    private let log = Mutex<[Answer]>([])
    private let stopping = Atomic<Bool>(false)
    /// Raised after every answer.
    let answered = WakeSignal()

    init(api: APIClient, appId: String) {
        self.api = api
        self.appId = appId
    }

    /// Every answer so far.
    var answers: [Answer] { log.withLock { $0 } }

    /// Asks the clients to stop after their current marker.
    func stop() { stopping.store(true, ordering: .releasing) }

    /// Runs `plain` plain and `keyed` keyed clients until `stop()`; a keyed client finishes its marker first.
    func run(plain: Int, keyed: Int) async {
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<(plain + keyed) {
                group.addTask { await self.client(client, keyed: client >= plain) }
            }
        }
    }

    private func client(_ client: Int, keyed: Bool) async {
        var sequence = 0
        while !stopping.load(ordering: .acquiring) {
            let marker = "\(keyed ? "k" : "p")-\(client)-\(sequence)"
            sequence += 1
            var attempts = 0
            while true {
                attempts += 1
                let answer = await send(marker, keyed: keyed)
                if !keyed || (200..<300).contains(answer.status) || attempts >= 40 { break }
            }
        }
    }

    private func send(_ marker: String, keyed: Bool) async -> Answer {
        let sent = ContinuousClock.now
        let reply = try? await api.call(
            "POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "outage", "payload": ["marker": marker]],
            headers: keyed ? ["idempotency-key": marker] : [:])
        let status = reply?.status ?? 0
        let json = reply?.json ?? [:]
        let answer = Answer(
            marker: marker, keyed: keyed, status: status, code: json["code"] as? String,
            id: (200..<300).contains(status) ? json["id"] as? String : nil,
            sent: sent, at: .now)
        log.withLock { $0.append(answer) }
        answered.signal()
        return answer
    }
}

/// The markers in delivered or stored payloads.
enum OutageMarkers {
    /// The marker in a payload, if any.
    static func marker(_ payload: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: payload)) as? [String: Any])?["marker"] as? String
    }

    /// Every stored message of `appId` with a marker: marker → message ids.
    static func stored(_ api: APIClient, appId: String) async throws -> [String: [String]] {
        var found: [String: [String]] = [:]
        var iterator: String?
        repeat {
            let query = "limit=250" + (iterator.map { "&iterator=\($0)" } ?? "")
            let reply = try await api.call("GET", "/api/v1/app/\(appId)/msg?\(query)")
            guard reply.status == 200, let data = reply.json["data"] as? [[String: Any]] else {
                throw ConformanceFailure(description: "listing messages answered \(reply.status)")
            }
            for message in data {
                if let id = message["id"] as? String, let marker = (message["payload"] as? [String: Any])?["marker"] as? String {
                    found[marker, default: []].append(id)
                }
            }
            iterator = (reply.json["done"] as? Bool) == true ? nil : reply.json["iterator"] as? String
        } while iterator != nil
        return found
    }
}

extension OutageLoad {
    /// Checks the answers against what was stored and delivered once the database is back: every 2xx (and
    /// `acknowledged`, plus 50 more sent now) is delivered, no error-answered plain marker was stored or
    /// delivered (except `outcome_unknown`), each keyed marker is exactly one message; returns a summary.
    func verify(acknowledged: Set<String>, receiver: RecordingReceiver) async throws -> String {
        var acknowledged = acknowledged
        let answers = self.answers
        acknowledged.formUnion(answers.compactMap(\.id))
        acknowledged.formUnion(await ClusterTests.send(50, to: [api], appId: appId))
        let expected = acknowledged
        let delivered = await Deadline.wait(timeout: .seconds(60), signal: receiver.arrivals) {
            Set(receiver.received.compactMap { $0.headers["webhook-id"] }).isSuperset(of: expected)
        }
        let seen = Set(receiver.received.compactMap { $0.headers["webhook-id"] })
        #expect(delivered, "acknowledged but never delivered: \(acknowledged.subtracting(seen).count)")

        let stored = try await OutageMarkers.stored(api, appId: appId)
        var deliveredMarkers: [String: Set<String>] = [:]
        for request in receiver.received {
            if let marker = OutageMarkers.marker(request.body), let id = request.headers["webhook-id"] {
                deliveredMarkers[marker, default: []].insert(id)
            }
        }
        let refusedPlain = Set(answers.filter { !$0.keyed && !(200..<300).contains($0.status) && $0.code != "outcome_unknown" }.map(\.marker))
        let committedAfterRefusal = refusedPlain.filter { stored[$0] != nil || deliveredMarkers[$0] != nil }
        #expect(!refusedPlain.isEmpty, "the outage refused requests")
        let refusals = answers.filter { committedAfterRefusal.contains($0.marker) }.map { "\($0.marker): \($0.status) \($0.code ?? "-")" }
        #expect(committedAfterRefusal.isEmpty, "answered with an error, then stored or delivered: \(refusals.sorted())")
        for answer in answers where !answer.keyed && answer.id != nil {
            #expect(stored[answer.marker] == [answer.id!], "a 202 answer is stored once: \(answer.marker)")
        }

        let keyed = Dictionary(grouping: answers.filter(\.keyed), by: \.marker)
        let retriedAfter503 = keyed.filter { $0.value.contains { $0.status == 503 } && $0.value.contains { $0.id != nil } }
        #expect(!retriedAfter503.isEmpty, "some keyed request was retried after a 503")
        for (marker, tries) in keyed where tries.contains(where: { $0.id != nil }) {
            let ids = Set(tries.compactMap(\.id))
            #expect(
                ids.count == 1 && stored[marker].map { Set($0) } == ids,
                "one message for key \(marker): answered \(ids), stored \(stored[marker] ?? [])")
            #expect(deliveredMarkers[marker] == ids, "key \(marker) delivered as its one message")
        }
        let unknown = answers.filter { $0.code == "outcome_unknown" }.count
        return
            "\(answers.count) answers, \(refusedPlain.count) plain refused, \(retriedAfter503.count) keys retried after a 503, \(unknown) outcome unknown"
    }
}
