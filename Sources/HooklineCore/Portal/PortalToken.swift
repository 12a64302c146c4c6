import Crypto
import Foundation

/// A tenant-portal access token as the store keeps it: scoped to one application, expiring, revocable.
///
/// The store holds only the SHA-256 digest of the bearer string, never the string itself.
public struct PortalToken: Sendable, Equatable {
    /// The hex SHA-256 digest of the bearer string (the lookup key).
    public var digest: String
    /// The one application the token reaches.
    public var appId: String
    /// Whether the token may only read.
    public var readOnly: Bool
    /// The feature flags the token was issued with (event types gated by a flag are shown only with it).
    public var featureFlags: [String]
    /// The caller's session id, if one was given.
    public var sessionId: String?
    /// When the token was issued.
    public var createdAt: Date
    /// When the token stops working.
    public var expiresAt: Date
    /// When the token was revoked (logout), if it was.
    public var revokedAt: Date?

    /// Creates a token record.
    public init(
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
    public static let prefix = "hlpt_"

    /// A fresh bearer string: the prefix and 32 base62 characters (about 190 random bits).
    public static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return prefix + String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The hex SHA-256 digest of `secret`, the form the store keeps.
    public static func digest(of secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether the token works at `now`: neither revoked nor expired.
    public func isUsable(at now: Date) -> Bool {
        revokedAt == nil && now < expiresAt
    }
}
