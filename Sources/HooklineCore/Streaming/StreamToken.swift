import Foundation

/// What a stream token grants: one application's stream (or every stream when `appId` is `nil`) until it expires.
public struct StreamToken: Sendable, Equatable, Codable {
    /// The application whose events it may watch; `nil` for all applications.
    public var appId: String?
    /// When it stops being accepted.
    public var expiresAt: Date

    /// Creates a token scope.
    public init(appId: String?, expiresAt: Date) {
        self.appId = appId
        self.expiresAt = expiresAt
    }

    /// Whether it may open a stream of `appId` (`nil`: the all-applications stream).
    public func permits(appId requested: String?) -> Bool {
        guard let appId else { return true }
        return requested == appId
    }

    enum CodingKeys: String, CodingKey {
        case appId = "app"
        case expiresAt = "exp"
    }

    /// Decodes the compact form (`exp` in Unix milliseconds).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        appId = try container.decodeIfPresent(String.self, forKey: .appId)
        expiresAt = Date(millisecondsSince1970: try container.decode(Int64.self, forKey: .expiresAt))
    }

    /// Encodes the compact form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(appId, forKey: .appId)
        try container.encode(expiresAt.millisecondsSince1970, forKey: .expiresAt)
    }
}
