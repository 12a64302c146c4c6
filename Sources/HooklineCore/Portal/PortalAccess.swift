import Crypto
import Foundation

/// A tenant-portal access token as the store keeps it: scoped to one application, expiring, revocable.
///
/// The store holds only the SHA-256 digest of the bearer string, never the string itself.
package struct PortalToken: Sendable, Equatable {
    /// The hex SHA-256 digest of the bearer string (the lookup key).
    package var digest: String
    /// The one application the token reaches.
    package var appId: String
    /// Whether the token may only read.
    package var readOnly: Bool
    /// The feature flags the token was issued with (event types gated by a flag are shown only with it).
    package var featureFlags: [String]
    /// The caller's session id, if one was given.
    package var sessionId: String?
    /// When the token was issued.
    package var createdAt: Date
    /// When the token stops working.
    package var expiresAt: Date
    /// When the token was revoked (logout), if it was.
    package var revokedAt: Date?

    /// Creates a token record.
    package init(
        digest: String, appId: String, readOnly: Bool, featureFlags: [String], sessionId: String?, createdAt: Date, expiresAt: Date,
        revokedAt: Date? = nil
    ) {
        self.digest = digest
        self.appId = appId
        self.readOnly = readOnly
        self.featureFlags = featureFlags
        self.sessionId = sessionId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// The prefix every portal bearer string starts with (tells it apart from the admin key).
    package static let prefix = "hlpt_"

    /// A fresh bearer string: the prefix and 32 base62 characters (about 190 random bits).
    package static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return prefix + String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The hex SHA-256 digest of `secret`, the form the store keeps.
    package static func digest(of secret: String) -> String {
        LowercaseHex.text(SHA256.hash(data: Array(secret.utf8)))
    }

    /// Whether the token works at `now`: neither revoked nor expired.
    package func isUsable(at now: Date) -> Bool {
        revokedAt == nil && now < expiresAt
    }
}

/// What a caller asks for when it opens a tenant portal for an application (Svix `AppPortalAccessIn`).
package struct PortalAccessDraft: Sendable {
    /// The shortest lifetime Svix accepts (1 hour).
    package static let minimumExpiry = 3600
    /// The longest lifetime Svix accepts, also the default (7 days).
    package static let maximumExpiry = 7 * 24 * 3600

    /// Creates the application with this definition when the path names none that exists.
    package var application: ApplicationDraft?
    /// The token's lifetime in seconds; `nil` means the default (7 days).
    package var expiry: Int?
    /// Whether the portal may only read.
    package var readOnly: Bool
    /// Feature flags attached to the token.
    package var featureFlags: [String]
    /// An optional caller session id kept with the token.
    package var sessionId: String?

    /// Creates a draft; defaults: 7 days, read-write, no flags.
    package init(
        application: ApplicationDraft? = nil, expiry: Int? = nil, readOnly: Bool = false, featureFlags: [String] = [], sessionId: String? = nil
    ) {
        self.application = application
        self.expiry = expiry
        self.readOnly = readOnly
        self.featureFlags = featureFlags
        self.sessionId = sessionId
    }

    /// The lifetime the token gets; throws `validation` outside 1 hour … 7 days.
    package func lifetime() throws -> Int {
        let seconds = expiry ?? Self.maximumExpiry
        guard (Self.minimumExpiry...Self.maximumExpiry).contains(seconds) else {
            throw HooklineError.invalid("expiry", message: "expiry must be between \(Self.minimumExpiry) and \(Self.maximumExpiry) seconds")
        }
        return seconds
    }

    /// Checks the flags and session id (bounded, non-empty strings).
    package func validate() throws {
        _ = try lifetime()
        guard featureFlags.count <= 50, featureFlags.allSatisfy({ !$0.isEmpty && $0.count <= 256 }) else {
            throw HooklineError.invalid("featureFlags", message: "at most 50 feature flags of 1 to 256 characters")
        }
        if let sessionId, sessionId.isEmpty || sessionId.count > 256 {
            throw HooklineError.invalid("sessionId", message: "sessionId must be 1 to 256 characters")
        }
    }
}
