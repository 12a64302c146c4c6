import Foundation
import HooklineCore

/// One webhook `hookline listen` received: what arrived, whether its signature matched, and how it is printed.
struct ReceivedWebhook: Sendable {
    /// The request method.
    var method: String
    /// The request path and query.
    var path: String
    /// The request headers, names lowercased.
    var headers: [(String, String)]
    /// The raw body.
    var body: Data
    /// When it arrived.
    var receivedAt: Date
    /// The Standard Webhooks signature check: `skipped` without a secret.
    var signature: VerificationOutcome

    /// A received request; its signature is checked against `secret` when one is given.
    init(method: String, path: String, headers: [(String, String)], body: Data, receivedAt: Date, secret: String?) {
        self.method = method
        self.path = path
        self.headers = headers.map { ($0.0.lowercased(), $0.1) }
        self.body = body
        self.receivedAt = receivedAt
        let request = InboundHTTPRequest(headers: self.headers, body: body)
        signature = secret.map { StandardWebhooksVerifier().verify(request, secrets: [$0], now: receivedAt) } ?? .skipped
    }

    /// The status to answer: `configured`, or 401 when the signature does not match.
    func status(configured: Int) -> Int {
        signature.isAccepted ? configured : 401
    }

    /// The value of header `name` (lowercase).
    func header(_ name: String) -> String? {
        headers.first { $0.0 == name }?.1
    }

    /// What the signature check says, for people.
    var signatureText: String {
        switch signature {
        case .verified: "signature ok"
        case .skipped: "signature not checked (pass --secret)"
        case .failed(let reason): "SIGNATURE INVALID: \(reason)"
        }
    }

    /// One line: time, method and path, webhook id, signature, then the body.
    var line: String {
        let time = receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)).dropFirst(11).prefix(12)
        let id = header("webhook-id") ?? header("svix-id") ?? "-"
        let text = String(decoding: body.prefix(4096), as: UTF8.self) + (body.count > 4096 ? "…" : "")
        return "\(time) \(method) \(path) \(id) \(signatureText) \(text)"
    }

    /// One JSON object: method, path, id, signature, headers and the body (as JSON when it is JSON).
    var json: JSONValue {
        let payload = (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .string(String(decoding: body, as: UTF8.self))
        var object: [String: JSONValue] = [
            "receivedAt": .string(receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            "method": .string(method), "path": .string(path), "signature": .string(signature.label),
            "headers": .object(Dictionary(headers.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { first, _ in first })),
            "body": payload,
        ]
        if let id = header("webhook-id") ?? header("svix-id") { object["webhookId"] = .string(id) }
        if let reason = signature.reason { object["reason"] = .string(reason) }
        return .object(object)
    }
}
