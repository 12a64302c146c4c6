import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Sends provider-style requests (any bytes, any headers, no admin key) to an ingest URL.
struct InboundClient: Sendable {
    let baseURL: String

    /// POSTs (or sends `method`) `body` to `path` with `headers`.
    func send(_ path: String, body: Data, headers: [(String, String)] = [], method: String = "POST") async throws -> APIClient.Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method == "POST" { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 1 << 20)
        var replyHeaders: [String: String] = [:]
        for header in response.headers { replyHeaders[header.name.lowercased()] = header.value }
        return APIClient.Reply(status: Int(response.status.code), headers: replyHeaders, body: Data(buffer: data))
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
