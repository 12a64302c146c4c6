import Foundation
import HooklineCore
import Testing

@Suite struct SignerTests {
    @Test func knownAnswer() throws {
        let secret = try EndpointSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = WebhookSigner().signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8), secrets: [secret])
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    /// Each signature starts from the key: a secret that already signed other bodies gives the known answer.
    @Test func aSecretReusedSignsEachBodyAfresh() throws {
        let secret = try EndpointSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signer = WebhookSigner()
        let others = (0..<3).map { signer.signature(id: "msg_\($0)", timestamp: 1, body: Data("{\"n\":\($0)}".utf8), secrets: [secret]) }
        #expect(Set(others).count == 3)
        let signature = signer.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8), secrets: [secret])
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func oneEntryPerSecret() throws {
        let secrets = [try EndpointSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), EndpointSecret.random()]
        let signature = WebhookSigner().signature(id: "msg_1", timestamp: 1, body: Data("{}".utf8), secrets: secrets)
        let entries = signature.split(separator: " ")
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.hasPrefix("v1,") })
        #expect(entries[0] != entries[1])
    }

    @Test(arguments: ["secret", "whsec_", "whsec_!!!", "whsec_AAAA"])
    func rejectsMalformedSecrets(_ text: String) {
        #expect(throws: HooklineError.self) { try EndpointSecret(text) }
    }

    @Test func randomSecretsAreWellFormed() throws {
        let secret = EndpointSecret.random()
        #expect(secret.key.count == 24)
        #expect(try EndpointSecret(secret.encoded) == secret)
        #expect(!secret.description.contains(secret.encoded.dropFirst(6)))
    }
}
