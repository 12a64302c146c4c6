import Foundation

/// The filters message and attempt lists accept; every `nil` field matches everything.
public struct ListFilter: Sendable, Equatable {
    /// Only messages of one of these event types.
    public var eventTypes: [String]?
    /// Only messages sent on this channel.
    public var channel: String?
    /// Only messages carrying this tag.
    public var tag: String?
    /// Only items created strictly before this time.
    public var before: Date?
    /// Only items created strictly after this time.
    public var after: Date?

    /// Creates a filter; by default it matches everything.
    public init(eventTypes: [String]? = nil, channel: String? = nil, tag: String? = nil, before: Date? = nil, after: Date? = nil) {
        self.eventTypes = eventTypes
        self.channel = channel
        self.tag = tag
        self.before = before
        self.after = after
    }
}
