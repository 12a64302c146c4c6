import Foundation

/// A named kind of event that messages can carry.
public struct EventType: Sendable, Equatable {
    /// The unique name, e.g. `user.created`.
    public var name: String
    /// A description.
    public var description: String
    /// Whether the type is archived.
    public var archived: Bool
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
