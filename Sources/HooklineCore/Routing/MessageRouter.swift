import Foundation

/// Chooses which endpoints of an application receive a message.
///
/// An endpoint receives a message when it is enabled, its event types are empty or contain the
/// message's type, if it lists channels the message shares at least one of them, and if it has a
/// payload filter the payload matches it (see `PayloadFilter`).
package struct MessageRouter: Sendable {
    /// Creates a router.
    package init() {}

    /// Whether `endpoint` receives a message of `eventType` sent on `channels`.
    package func matches(_ endpoint: Endpoint, eventType: String, channels: [String]?) -> Bool {
        guard !endpoint.disabled else { return false }
        if let types = endpoint.eventTypes, !types.isEmpty, !types.contains(eventType) {
            return false
        }
        if let wanted = endpoint.channels, !wanted.isEmpty {
            guard let channels, !Set(wanted).isDisjoint(with: channels) else { return false }
        }
        return true
    }

    /// The endpoints among `endpoints` that receive the message whose payload bytes are `payload`.
    ///
    /// Payload filters are checked last, and the payload is parsed at most once — only when an endpoint
    /// that passed the other rules has a filter — so routing without filters never touches the payload.
    package func route(eventType: String, channels: [String]?, payload: Data, to endpoints: [Endpoint]) -> [Endpoint] {
        let candidates = endpoints.filter { matches($0, eventType: eventType, channels: channels) }
        guard candidates.contains(where: { $0.payloadFilter != nil }) else { return candidates }
        let document = try? JSONDecoder().decode(JSONValue.self, from: payload)
        return candidates.filter { $0.payloadFilter?.matches(document) ?? true }
    }
}

extension MessageRouter {
    /// The disabled endpoints among `endpoints` that would receive the message (all other rules, payload
    /// filters included) if they were enabled.
    ///
    /// Their delivery rows are stored as `skipped`, so a message sent while an endpoint is disabled is
    /// not lost: `recover` or `resend` delivers it once the endpoint is enabled again.
    package func skipped(eventType: String, channels: [String]?, payload: Data, among endpoints: [Endpoint]) -> [Endpoint] {
        let disabled = endpoints.filter(\.disabled).map { endpoint in
            var enabled = endpoint
            enabled.disabled = false
            return enabled
        }
        guard !disabled.isEmpty else { return [] }
        return route(eventType: eventType, channels: channels, payload: payload, to: disabled)
    }
}
