/// Which events a stream client wants; every set field must match, `nil` matches anything.
public struct StreamFilter: Sendable, Equatable {
    /// Events of this application only.
    public var appId: String?
    /// Events about messages of these event types.
    public var eventTypes: Set<String>?
    /// Events about messages on this channel.
    public var channel: String?
    /// Events about this endpoint.
    public var endpointId: String?
    /// Events about this message (the correlation id of a message's whole story).
    public var messageId: String?
    /// Events of these kinds.
    public var kinds: Set<EventKind>?

    /// Creates a filter; by default everything matches.
    public init(
        appId: String? = nil, eventTypes: Set<String>? = nil, channel: String? = nil, endpointId: String? = nil,
        messageId: String? = nil, kinds: Set<EventKind>? = nil
    ) {
        self.appId = appId
        self.eventTypes = eventTypes
        self.channel = channel
        self.endpointId = endpointId
        self.messageId = messageId
        self.kinds = kinds
    }

    /// Whether `event` passes the filter.
    public func matches(_ event: StreamEvent) -> Bool {
        let draft = event.draft
        if let kinds, !kinds.contains(draft.kind) { return false }
        if let appId, draft.appId != appId { return false }
        if let endpointId, draft.endpointId != endpointId { return false }
        if let messageId, draft.messageId != messageId { return false }
        if let eventTypes {
            guard let type = draft.eventType, eventTypes.contains(type) else { return false }
        }
        if let channel {
            guard draft.channels?.contains(channel) == true else { return false }
        }
        return true
    }
}
