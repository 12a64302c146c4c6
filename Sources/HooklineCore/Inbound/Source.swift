import Foundation

/// A provider that sends webhooks in at `POST /in/{id or uid}`: how they are verified, deduplicated and routed.
public struct Source: Sendable, Equatable, Codable {
    /// The `src_` identifier.
    public var id: String
    /// An optional unique identifier usable in place of the id.
    public var uid: String?
    /// The display name.
    public var name: String
    /// The application whose endpoints receive the routed messages.
    public var appId: String
    /// The verification scheme and its options.
    public var verification: SourceVerification
    /// The current secret (`nil` for scheme `none`).
    public var secret: String?
    /// Replaced secrets still accepted until they expire.
    public var previousSecrets: [RetiredSourceSecret]
    /// Where the event type comes from; the scheme's default when `nil`.
    public var eventType: FieldSelector?
    /// Where the provider's event id comes from; the scheme's default when `nil`.
    public var dedupId: FieldSelector?
    /// How long a seen event id makes repeats duplicates, in seconds.
    public var dedupWindowSeconds: Int
    /// Where the correlation id kept on the message comes from, if anywhere.
    public var correlationId: FieldSelector?
    /// The largest body accepted; the node's default when `nil`.
    public var maxBodyBytes: Int?
    /// The status of the acknowledgement (2xx).
    public var ackStatus: Int
    /// The body of the acknowledgement; a small JSON object when `nil`.
    public var ackBody: String?
    /// When the source was created.
    public var createdAt: Date
    /// When the source last changed.
    public var updatedAt: Date

    /// Creates a source value.
    public init(
        id: String, uid: String?, name: String, appId: String, verification: SourceVerification, secret: String?,
        previousSecrets: [RetiredSourceSecret] = [], eventType: FieldSelector? = nil, dedupId: FieldSelector? = nil,
        dedupWindowSeconds: Int = 86_400, correlationId: FieldSelector? = nil, maxBodyBytes: Int? = nil, ackStatus: Int = 200,
        ackBody: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.uid = uid
        self.name = name
        self.appId = appId
        self.verification = verification
        self.secret = secret
        self.previousSecrets = previousSecrets
        self.eventType = eventType
        self.dedupId = dedupId
        self.dedupWindowSeconds = dedupWindowSeconds
        self.correlationId = correlationId
        self.maxBodyBytes = maxBodyBytes
        self.ackStatus = ackStatus
        self.ackBody = ackBody
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A source secret replaced by a newer one, accepted until `expiresAt`.
public struct RetiredSourceSecret: Sendable, Equatable, Codable {
    /// The old secret.
    public var secret: String
    /// When it stops being accepted.
    public var expiresAt: Date

    /// Creates a retired secret.
    public init(secret: String, expiresAt: Date) {
        self.secret = secret
        self.expiresAt = expiresAt
    }
}
