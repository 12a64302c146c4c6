import Foundation

/// What a caller asks for when it opens a tenant portal for an application (Svix `AppPortalAccessIn`).
public struct PortalAccessDraft: Sendable {
    /// The shortest lifetime Svix accepts (1 hour).
    public static let minimumExpiry = 3600
    /// The longest lifetime Svix accepts, also the default (7 days).
    public static let maximumExpiry = 7 * 24 * 3600

    /// Creates the application with this definition when the path names none that exists.
    public var application: ApplicationDraft?
    /// The token's lifetime in seconds; `nil` means the default (7 days).
    public var expiry: Int?
    /// Whether the portal may only read.
    public var readOnly: Bool
    /// Feature flags attached to the token.
    public var featureFlags: [String]
    /// An optional caller session id kept with the token.
    public var sessionId: String?

    /// Creates a draft; defaults: 7 days, read-write, no flags.
    public init(
        application: ApplicationDraft? = nil, expiry: Int? = nil, readOnly: Bool = false, featureFlags: [String] = [], sessionId: String? = nil
    ) {
        self.application = application
        self.expiry = expiry
        self.readOnly = readOnly
        self.featureFlags = featureFlags
        self.sessionId = sessionId
    }

    /// The lifetime the token gets; throws `validation` outside 1 hour … 7 days.
    public func lifetime() throws -> Int {
        let seconds = expiry ?? Self.maximumExpiry
        guard (Self.minimumExpiry...Self.maximumExpiry).contains(seconds) else {
            throw HooklineError.invalid("expiry", message: "expiry must be between \(Self.minimumExpiry) and \(Self.maximumExpiry) seconds")
        }
        return seconds
    }

    /// Checks the flags and session id (bounded, non-empty strings).
    public func validate() throws {
        _ = try lifetime()
        guard featureFlags.count <= 50, featureFlags.allSatisfy({ !$0.isEmpty && $0.count <= 256 }) else {
            throw HooklineError.invalid("featureFlags", message: "at most 50 feature flags of 1 to 256 characters")
        }
        if let sessionId, sessionId.isEmpty || sessionId.count > 256 {
            throw HooklineError.invalid("sessionId", message: "sessionId must be 1 to 256 characters")
        }
    }
}
