import Crypto
import Foundation

/// Sends provider-style requests (any bytes, any headers, no admin key) to an ingest URL.
struct InboundClient: Sendable {
    let client: APIClient

    /// A client of the server at `baseURL`.
    init(baseURL: String) { client = APIClient(baseURL: baseURL, apiKey: nil) }

    /// A client of `node`, over a socket or in process as the node is reached.
    init(node: TestNode) { client = node.api(apiKey: nil) }

    /// POSTs (or sends `method`) `body` to `path` with `headers`.
    func send(_ path: String, body: Data, headers: [(String, String)] = [], method: String = "POST") async throws -> APIClient.Reply {
        try await client.send(method, path, headers: headers, body: method == "POST" ? body : nil)
    }

    /// GitHub's headers for `body` signed with `secret`.
    static func github(_ body: Data, secret: String, event: String = "push", delivery: String = UUID().uuidString) -> [(String, String)] {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        return [
            ("X-Hub-Signature-256", "sha256=" + hex), ("X-GitHub-Event", event), ("X-GitHub-Delivery", delivery),
            ("Content-Type", "application/json"),
        ]
    }
}
