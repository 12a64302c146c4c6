import Foundation
import HooklineCore
import Testing

/// Pure verification schemes: known answers (provider docs, Standard Webhooks), tampering, old timestamps, rotation.
@Suite struct VerifierTests {
    static func request(_ headers: [(String, String)], _ body: String) -> InboundHTTPRequest {
        InboundHTTPRequest(headers: headers, body: Data(body.utf8))
    }

    static let svixBody = #"{"test": 2432232314}"#
    static let svixSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let svixSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    static let svixTime = Date(timeIntervalSince1970: 1_614_265_330)

    static func svixHeaders(prefix: String = "webhook", signature: String = svixSignature, timestamp: String = "1614265330") -> [(String, String)] {
        [("\(prefix)-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"), ("\(prefix)-timestamp", timestamp), ("\(prefix)-signature", signature)]
    }

    @Test func standardWebhooksKnownAnswer() {
        let verifier = StandardWebhooksVerifier()
        #expect(verifier.verify(Self.request(Self.svixHeaders(), Self.svixBody), secrets: [Self.svixSecret], now: Self.svixTime) == .verified)
        #expect(
            verifier.verify(Self.request(Self.svixHeaders(prefix: "svix"), Self.svixBody), secrets: [Self.svixSecret], now: Self.svixTime)
                == .verified)
        let several = "v2,abc v1,AAAA" + " " + Self.svixSignature
        #expect(
            verifier.verify(Self.request(Self.svixHeaders(signature: several), Self.svixBody), secrets: [Self.svixSecret], now: Self.svixTime)
                == .verified)
    }

    @Test func standardWebhooksRejectsTamperingAndOldTimestamps() {
        let verifier = StandardWebhooksVerifier()
        let tampered = Self.request(Self.svixHeaders(), #"{"test": 2432232315}"#)
        #expect(verifier.verify(tampered, secrets: [Self.svixSecret], now: Self.svixTime) == .failed("signature mismatch"))
        let late = Self.svixTime.addingTimeInterval(301)
        #expect(
            verifier.verify(Self.request(Self.svixHeaders(), Self.svixBody), secrets: [Self.svixSecret], now: late)
                == .failed("timestamp outside the tolerance"))
        #expect(
            verifier.verify(Self.request(Self.svixHeaders(), Self.svixBody), secrets: [Self.svixSecret], now: Self.svixTime.addingTimeInterval(299))
                == .verified)
        #expect(!verifier.verify(Self.request([], Self.svixBody), secrets: [Self.svixSecret], now: Self.svixTime).isAccepted)
        let onlyV2 = Self.request(Self.svixHeaders(signature: "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), Self.svixBody)
        #expect(!verifier.verify(onlyV2, secrets: [Self.svixSecret], now: Self.svixTime).isAccepted, "entries of other versions are ignored")
    }

    @Test func standardWebhooksAcceptsARotatedSecret() {
        let verifier = StandardWebhooksVerifier()
        let request = Self.request(Self.svixHeaders(), Self.svixBody)
        #expect(
            verifier.verify(request, secrets: ["whsec_" + Data(repeating: 7, count: 24).base64EncodedString(), Self.svixSecret], now: Self.svixTime)
                == .verified)
        #expect(!verifier.verify(request, secrets: ["whsec_" + Data(repeating: 7, count: 24).base64EncodedString()], now: Self.svixTime).isAccepted)
    }

    /// GitHub's documented example: secret "It's a Secret to Everybody", body "Hello, World!".
    @Test func githubKnownAnswer() {
        let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        let secret = "It's a Secret to Everybody"
        let now = Date()
        #expect(
            HMACVerifier.github.verify(Self.request([("X-Hub-Signature-256", signature)], "Hello, World!"), secrets: [secret], now: now) == .verified)
        #expect(
            HMACVerifier.github.verify(Self.request([("X-Hub-Signature-256", signature)], "Hello, World?"), secrets: [secret], now: now)
                == .failed("signature mismatch"))
        #expect(
            HMACVerifier.github.verify(Self.request([("X-Hub-Signature-256", signature)], "Hello, World!"), secrets: ["new", secret], now: now)
                == .verified, "rotated secret")
        #expect(!HMACVerifier.github.verify(Self.request([("X-Hub-Signature", "sha1=00")], "Hello, World!"), secrets: [secret], now: now).isAccepted)
        #expect(
            !HMACVerifier.github.verify(Self.request([("X-Hub-Signature-256", "sha256=zz")], "Hello, World!"), secrets: [secret], now: now).isAccepted
        )
    }

    static let stripeBody = #"{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}"#
    static let stripeSignature = "67da5088c63e080c71bd2bb0cb5c03d85a8fc6a21ce3aaf484df809654745b92"

    /// Stripe: key = the whole secret's UTF-8 bytes (whsec_ included); content `t.body`; tolerance 300 s.
    @Test func stripe() {
        let verifier = StripeVerifier()
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let header = "t=1700000000,v1=\(Self.stripeSignature),v0=ignored"
        #expect(verifier.verify(Self.request([("Stripe-Signature", header)], Self.stripeBody), secrets: ["whsec_test_secret"], now: t0) == .verified)
        let two = "t=1700000000,v1=\(String(repeating: "0", count: 64)),v1=\(Self.stripeSignature)"
        #expect(verifier.verify(Self.request([("Stripe-Signature", two)], Self.stripeBody), secrets: ["whsec_test_secret"], now: t0) == .verified)
        #expect(
            verifier.verify(Self.request([("Stripe-Signature", header)], Self.stripeBody + " "), secrets: ["whsec_test_secret"], now: t0)
                == .failed("signature mismatch"))
        #expect(
            verifier.verify(
                Self.request([("Stripe-Signature", header)], Self.stripeBody), secrets: ["whsec_test_secret"], now: t0.addingTimeInterval(301))
                == .failed("timestamp outside the tolerance"))
        #expect(
            verifier.verify(Self.request([("Stripe-Signature", header)], Self.stripeBody), secrets: ["whsec_new", "whsec_test_secret"], now: t0)
                == .verified)
        #expect(
            !verifier.verify(
                Self.request([("Stripe-Signature", "v1=\(Self.stripeSignature)")], Self.stripeBody), secrets: ["whsec_test_secret"], now: t0
            ).isAccepted)
    }

    @Test func shopify() {
        let body = #"{"id":820982911946154508}"#
        let header = ("X-Shopify-Hmac-Sha256", "jqbalbO3Z8mDmrF2/+wzM3KYvbgqzVBF969vgiIy80I=")
        #expect(HMACVerifier.shopify.verify(Self.request([header], body), secrets: ["shpss_secret"], now: Date()) == .verified)
        #expect(
            HMACVerifier.shopify.verify(Self.request([header], body + "\n"), secrets: ["shpss_secret"], now: Date()) == .failed("signature mismatch"))
        #expect(HMACVerifier.shopify.verify(Self.request([header], body), secrets: ["other", "shpss_secret"], now: Date()) == .verified)
    }

    @Test func genericHMACWithTemplateAlgorithmsAndEncodings() {
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let templated = HMACVerifier(
            header: "x-sig", algorithm: .sha1, encoding: .base64, prefix: "v=", template: "{timestamp}.{body}", timestampHeader: "x-ts")
        let headers = [("x-sig", "v=rP8SaOEd1lkjgq/AJYnDIcEn8IE="), ("x-ts", "1700000000")]
        #expect(templated.verify(Self.request(headers, "hello"), secrets: ["k"], now: t0) == .verified)
        #expect(templated.verify(Self.request(headers, "hellO"), secrets: ["k"], now: t0) == .failed("signature mismatch"))
        #expect(
            templated.verify(Self.request(headers, "hello"), secrets: ["k"], now: t0.addingTimeInterval(-301))
                == .failed("timestamp outside the tolerance"))
        let sha512 = HMACVerifier(header: "x-sig", algorithm: .sha512)
        let hex = "86b6102b754ae558df0ec3e7905c81250b3e1ba69b060c1bb9641a8f19863035fb007c829b0648da38a03255630131fc2f775e0110c0aa11b33750a14cf48ecb"
        #expect(sha512.verify(Self.request([("x-sig", hex.uppercased())], "hello"), secrets: ["k"], now: t0) == .verified)
        #expect(!sha512.verify(Self.request([("x-sig", hex)], "hello!"), secrets: ["k"], now: t0).isAccepted)
    }

    @Test func basicAuthAndHeaderToken() {
        let basic = CredentialVerifier(style: .basicAuth)
        let good = "Basic " + Data("hook:s3cret".utf8).base64EncodedString()
        #expect(basic.verify(Self.request([("Authorization", good)], ""), secrets: ["hook:s3cret"], now: Date()) == .verified)
        #expect(!basic.verify(Self.request([("Authorization", good)], ""), secrets: ["hook:other"], now: Date()).isAccepted)
        #expect(!basic.verify(Self.request([], ""), secrets: ["hook:s3cret"], now: Date()).isAccepted)
        let token = CredentialVerifier(style: .headerToken(header: "X-Token"))
        #expect(token.verify(Self.request([("x-token", "abc")], ""), secrets: ["abc"], now: Date()) == .verified)
        #expect(token.verify(Self.request([("x-token", "Bearer abc")], ""), secrets: ["old", "abc"], now: Date()) == .verified)
        #expect(!token.verify(Self.request([("x-token", "abd")], ""), secrets: ["abc"], now: Date()).isAccepted)
        #expect(NoVerification().verify(Self.request([], ""), secrets: [], now: Date()) == .skipped)
    }

    @Test func constantTimeComparisonAndSelectors() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([7], [7] + [UInt8](repeating: 0, count: 256)), "lengths 256 apart with zero padding differ")
        #expect(!ConstantTime.equal([UInt8](), [UInt8](repeating: 0, count: 512)))
        let request = Self.request([("X-GitHub-Event", "push")], #"{"data":{"object":{"id":"pi_1","n":3}},"type":"a.b"}"#)
        let json = try? JSONDecoder().decode(JSONValue.self, from: request.body)
        #expect(FieldSelector(spec: "header:x-github-event")?.extract(from: request, json: json) == "push")
        #expect(FieldSelector(spec: "json:data.object.id")?.extract(from: request, json: json) == "pi_1")
        #expect(FieldSelector(spec: "json:data.object.n")?.extract(from: request, json: json) == "3")
        #expect(FieldSelector(spec: "fixed:order.created")?.extract(from: request, json: json) == "order.created")
        #expect(FieldSelector(spec: "query:x") == nil)
    }
}
