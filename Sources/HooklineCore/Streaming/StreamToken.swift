import Crypto
import Foundation

/// What a stream token grants: one application's stream (or every stream when `appId` is `nil`) until it expires.
package struct StreamToken: Sendable, Equatable, Codable {
    /// The application whose events it may watch; `nil` for all applications.
    package var appId: String?
    /// When it stops being accepted.
    package var expiresAt: Date

    /// Creates a token scope.
    package init(appId: String?, expiresAt: Date) {
        self.appId = appId
        self.expiresAt = expiresAt
    }

    /// Whether it may open a stream of `appId` (`nil`: the all-applications stream).
    package func permits(appId requested: String?) -> Bool {
        guard let appId else { return true }
        return requested == appId
    }

    enum CodingKeys: String, CodingKey {
        case appId = "app"
        case expiresAt = "exp"
    }

    /// Decodes the compact form (`exp` in Unix milliseconds).
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        appId = try container.decodeIfPresent(String.self, forKey: .appId)
        expiresAt = Date(millisecondsSince1970: try container.decode(Int64.self, forKey: .expiresAt))
    }

    /// Encodes the compact form.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(appId, forKey: .appId)
        try container.encode(expiresAt.millisecondsSince1970, forKey: .expiresAt)
    }
}

/// Issues and checks short-lived stream tokens: `base64url(scope JSON) . base64url(HMAC-SHA256)`.
///
/// The key is derived from the admin API key, so tokens need no storage and die with a key change.
package struct StreamTokenSigner: Sendable {
    private let key: SymmetricKey
    /// The longest lifetime a token may ask for.
    package static let maximumLifetime: Duration = .seconds(24 * 3600)

    /// Creates a signer keyed from the admin API key.
    package init(apiKey: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(("hookline-stream-token:" + apiKey).utf8)))
    }

    /// A token for `appId` (all applications when `nil`) valid for `lifetime` from `now`.
    package func issue(appId: String?, lifetime: Duration, now: Date) throws -> (token: String, scope: StreamToken) {
        guard lifetime > .zero, lifetime <= Self.maximumLifetime else {
            throw HooklineError(.validation, "lifetime must be between 1 second and 24 hours", field: ["body", "ttlSeconds"])
        }
        let scope = StreamToken(appId: appId, expiresAt: now.adding(lifetime))
        let payload = try JSONEncoder().encode(scope)
        let signature = Data(HMAC<SHA256>.authenticationCode(for: payload, using: key))
        return (Self.base64URL(payload) + "." + Self.base64URL(signature), scope)
    }

    /// The scope of `token` if its signature holds and it has not expired at `now`; throws `unauthorized` otherwise.
    package func verify(_ token: String, now: Date) throws -> StreamToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.data(base64URL: parts[0]), let signature = Self.data(base64URL: parts[1]),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: key),
            let scope = try? JSONDecoder().decode(StreamToken.self, from: payload)
        else {
            throw HooklineError(.unauthorized, "invalid stream token")
        }
        guard now < scope.expiresAt else { throw HooklineError(.unauthorized, "stream token expired") }
        return scope
    }

    /// Base64url without padding.
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url with or without padding.
    static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
