/// Chooses which endpoints of an application receive a message.
///
/// An endpoint receives a message when it is enabled, its event types are empty or contain the
/// message's type, and — if it lists channels — the message shares at least one of them.
public struct MessageRouter: Sendable {
    /// Creates a router.
    public init() {}

    /// Whether `endpoint` receives a message of `eventType` sent on `channels`.
    public func matches(_ endpoint: Endpoint, eventType: String, channels: [String]?) -> Bool {
        guard !endpoint.disabled else { return false }
        if let types = endpoint.eventTypes, !types.isEmpty, !types.contains(eventType) {
            return false
        }
        if let wanted = endpoint.channels, !wanted.isEmpty {
            guard let channels, !Set(wanted).isDisjoint(with: channels) else { return false }
        }
        return true
    }

    /// The endpoints among `endpoints` that receive the message.
    public func route(eventType: String, channels: [String]?, to endpoints: [Endpoint]) -> [Endpoint] {
        endpoints.filter { matches($0, eventType: eventType, channels: channels) }
    }
}
