import Foundation

/// A tenant of Hookline: owns endpoints and messages.
public struct Application: Sendable, Equatable {
    /// The `app_` identifier.
    public var id: String
    /// An optional caller-chosen unique identifier.
    public var uid: String?
    /// A display name.
    public var name: String
    /// Free-form string metadata.
    public var metadata: [String: String]
    /// Messages per second allowed to each endpoint of this application, if limited.
    public var throttleRate: Int?
    /// When the application was created.
    public var createdAt: Date
    /// When the application was last changed.
    public var updatedAt: Date

    /// Creates an application value.
    public init(
        id: String, uid: String?, name: String, metadata: [String: String], throttleRate: Int?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.uid = uid
        self.name = name
        self.metadata = metadata
        self.throttleRate = throttleRate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A subscriber URL of an application, with its routing rules and signing secret.
public struct Endpoint: Sendable, Equatable {
    /// The `ep_` identifier.
    public var id: String
    /// The owning application's identifier.
    public var appId: String
    /// An optional caller-chosen identifier, unique within the application.
    public var uid: String?
    /// Where deliveries are POSTed.
    public var url: String
    /// A description (empty when none).
    public var description: String
    /// Event types this endpoint receives; `nil` or empty means all.
    public var eventTypes: [String]?
    /// Channels this endpoint receives; `nil` or empty means it ignores channels.
    public var channels: [String]?
    /// Whether deliveries to this endpoint are paused.
    public var disabled: Bool
    /// The signing secret (`whsec_…`).
    public var secret: EndpointSecret
    /// Secrets replaced by rotation that still sign until they expire.
    package var previousSecrets: [RetiredSecret]
    /// Free-form string metadata.
    public var metadata: [String: String]
    /// Extra headers sent with every delivery.
    public var headers: [String: String]
    /// Messages per second allowed, if limited.
    public var throttleRate: Int?
    /// A condition on the payload a message must meet to be delivered here; `nil` for every message.
    public var payloadFilter: PayloadFilter?
    /// When the endpoint was created.
    public var createdAt: Date
    /// When the endpoint was last changed.
    public var updatedAt: Date
    /// Whether messages are delivered one at a time in the order they were accepted (FIFO); a failing
    /// delivery then holds back the later ones until it succeeds or fails for good.
    package var ordered: Bool = false
    /// The start of its unbroken failure streak (first failed attempt since the last success), `nil` when its
    /// last attempt succeeded; maintained by the store on completion (see `AutoDisablePolicy`).
    public var failingSince: Date?

    /// Creates an endpoint value.
    public init(
        id: String, appId: String, uid: String?, url: String, description: String, eventTypes: [String]?,
        channels: [String]?, disabled: Bool, secret: EndpointSecret, metadata: [String: String],
        headers: [String: String], throttleRate: Int?, createdAt: Date, updatedAt: Date, previousSecrets: [RetiredSecret] = [],
        failingSince: Date? = nil, payloadFilter: PayloadFilter? = nil
    ) {
        self.id = id
        self.appId = appId
        self.uid = uid
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.channels = channels
        self.disabled = disabled
        self.secret = secret
        self.previousSecrets = previousSecrets
        self.metadata = metadata
        self.headers = headers
        self.throttleRate = throttleRate
        self.payloadFilter = payloadFilter
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.failingSince = failingSince
    }
}

/// A secret replaced by a rotation that keeps signing until its grace period ends.
public struct RetiredSecret: Sendable, Equatable {
    /// The previous secret.
    public var secret: EndpointSecret
    /// When it stops signing.
    package var expiresAt: Date

    /// Creates a retired secret.
    package init(secret: EndpointSecret, expiresAt: Date) {
        self.secret = secret
        self.expiresAt = expiresAt
    }
}
