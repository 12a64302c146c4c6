import Foundation

/// A named kind of event that messages can carry.
public struct EventType: Sendable, Equatable {
    /// The unique name, e.g. `user.created`.
    public var name: String
    /// A description.
    public var description: String
    /// Whether the type is archived.
    public var archived: Bool
    /// JSON schemas by version (`{"1": {...}}`); version `1`'s first `examples` entry is what send-example sends.
    public var schemas: JSONValue? = nil
    /// Whether the type is deprecated (still usable, flagged to consumers).
    public var deprecated: Bool = false
    /// The feature flags that gate the type (Svix `featureFlags`; its older `featureFlag` is the single one), if any.
    public var featureFlags: [String]? = nil
    /// The group the type is shown under, if any.
    public var groupName: String? = nil
    /// When the type was created.
    public var createdAt: Date
    /// When the type was last changed.
    public var updatedAt: Date

    /// Creates an event type value.
    public init(name: String, description: String, archived: Bool, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.description = description
        self.archived = archived
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
