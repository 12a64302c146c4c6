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
