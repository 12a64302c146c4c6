import Foundation

/// A tenant of Hookline: owns endpoints and messages.
package struct Application: Sendable, Equatable {
    /// The `app_` identifier.
    package var id: String
    /// An optional caller-chosen unique identifier.
    package var uid: String?
    /// A display name.
    package var name: String
    /// Free-form string metadata.
    package var metadata: [String: String]
    /// Messages per second allowed to each endpoint of this application, if limited.
    package var throttleRate: Int?
    /// When the application was created.
    package var createdAt: Date
    /// When the application was last changed.
    package var updatedAt: Date

    /// Creates an application value.
    package init(
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
package struct Endpoint: Sendable, Equatable {
    /// The `ep_` identifier.
    package var id: String
    /// The owning application's identifier.
    package var appId: String
    /// An optional caller-chosen identifier, unique within the application.
    package var uid: String?
    /// Where deliveries are POSTed.
    package var url: String
    /// A description (empty when none).
    package var description: String
    /// Event types this endpoint receives; `nil` or empty means all.
    package var eventTypes: [String]?
    /// Channels this endpoint receives; `nil` or empty means it ignores channels.
    package var channels: [String]?
    /// Whether deliveries to this endpoint are paused.
    package var disabled: Bool
    /// The signing secret (`whsec_…`).
    package var secret: EndpointSecret
    /// Secrets replaced by rotation that still sign until they expire.
    package var previousSecrets: [RetiredSecret]
    /// Free-form string metadata.
    package var metadata: [String: String]
    /// Extra headers sent with every delivery.
    package var headers: [String: String]
    /// Messages per second allowed, if limited.
    package var throttleRate: Int?
    /// A condition on the payload a message must meet to be delivered here; `nil` for every message.
    package var payloadFilter: PayloadFilter?
    /// When the endpoint was created.
    package var createdAt: Date
    /// When the endpoint was last changed.
    package var updatedAt: Date
    /// Whether messages are delivered one at a time in the order they were accepted (FIFO); a failing
    /// delivery then holds back the later ones until it succeeds or fails for good.
    package var ordered: Bool = false
    /// The start of its unbroken failure streak (first failed attempt since the last success), `nil` when its
    /// last attempt succeeded; maintained by the store on completion (see `AutoDisablePolicy`).
    package var failingSince: Date?

    /// Creates an endpoint value.
    package init(
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
package struct RetiredSecret: Sendable, Equatable {
    /// The previous secret.
    package var secret: EndpointSecret
    /// When it stops signing.
    package var expiresAt: Date

    /// Creates a retired secret.
    package init(secret: EndpointSecret, expiresAt: Date) {
        self.secret = secret
        self.expiresAt = expiresAt
    }
}
