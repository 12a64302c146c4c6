import Crypto
import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// SIGKILL while messages are sent and the endpoint's secret rotates: after a restart nothing acknowledged is
/// lost and every delivery's signature verifies with the old or the new secret; an acknowledged rotation holds.
@Suite(.serialized, .timeLimit(.minutes(3))) struct KillDuringRotationTests {
    static let arguments = DurabilityTests.arguments

    /// Whether one of the `v1,` signatures in `header` is the HMAC of the delivery under `secret`.
    static func verifies(_ header: String, id: String, timestamp: String, body: Data, secret: EndpointSecret) -> Bool {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let expected = "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: secret.key))).base64EncodedString()
        return header.split(separator: " ").contains { $0 == expected }
    }

    @Test func killDuringRotationLosesNothingAndSignaturesVerify() async throws {
        let directory = try TemporaryDirectory()
        let old = EndpointSecret.random()
        let new = EndpointSecret.random()
        try await RecordingReceiver.with { receiver, receiverURL in
            let first = try HooklineProcess(arguments: Self.arguments + ["--data-dir", directory.path])
            let firstAPI = APIClient(baseURL: try await first.baseURL())
            let appId = try #require(try await firstAPI.call("POST", "/api/v1/app", json: ["name": "Rotating"]).json["id"] as? String)
            let endpoint = try await firstAPI.call(
                "POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook", "uid": "main", "secret": old.encoded])
            #expect(endpoint.status == 201)

            let sending = Task { await ClusterTests.send(200, to: [firstAPI], appId: appId) }
            let rotation = Task { try? await firstAPI.call("POST", "/api/v1/app/\(appId)/endpoint/main/secret/rotate", json: ["key": new.encoded]) }
            await receiver.waitFor(40, timeout: .seconds(20))
            _ = await first.terminate(SIGKILL)
            sending.cancel()  // requests to the dead node would wait out their timeout
            rotation.cancel()
            let acknowledged = await sending.value
            let rotated = await rotation.value?.status == 200

            let second = try HooklineProcess(arguments: Self.arguments + ["--data-dir", directory.path])
            let api = APIClient(baseURL: try await second.baseURL())
            let current = try await api.call("GET", "/api/v1/app/\(appId)/endpoint/main/secret").json["key"] as? String
            if rotated { #expect(current == new.encoded, "an acknowledged rotation survives the kill") }
            #expect([old.encoded, new.encoded].contains(current ?? ""), "the secret is the old or the new one")
            let after = await ClusterTests.send(20, to: [api], appId: appId)
            let expected = acknowledged.union(after)
            let delivered = await Deadline.wait(timeout: .seconds(30), signal: receiver.arrivals) {
                Set(receiver.received.compactMap { $0.headers["webhook-id"] }).isSuperset(of: expected)
            }
            #expect(
                delivered,
                "nothing acknowledged is lost: \(expected.subtracting(receiver.received.compactMap { $0.headers["webhook-id"] }).count) missing")
            for request in receiver.received {
                let id = request.headers["webhook-id"] ?? "", timestamp = request.headers["webhook-timestamp"] ?? ""
                let signature = request.headers["webhook-signature"] ?? ""
                let valid = [old, new].contains { Self.verifies(signature, id: id, timestamp: timestamp, body: request.body, secret: $0) }
                #expect(valid, "the delivery of \(id) verifies with the old or the new secret")
                if after.contains(id), let current, let secret = try? EndpointSecret(current) {
                    #expect(
                        Self.verifies(signature, id: id, timestamp: timestamp, body: request.body, secret: secret), "signed with the current secret")
                }
            }
            print(
                "kill during rotation: \(acknowledged.count) acknowledged before the kill, rotation answered: \(rotated), secret after restart is \(current == new.encoded ? "new" : "old")"
            )
            #expect(await second.terminate(SIGTERM) == 0)
        }
    }
}
