import Foundation

extension MessageRouter {
    /// The disabled endpoints among `endpoints` that would receive the message (all other rules, payload
    /// filters included) if they were enabled.
    ///
    /// Their delivery rows are stored as `skipped`, so a message sent while an endpoint is disabled is
    /// not lost: `recover` or `resend` delivers it once the endpoint is enabled again.
    public func skipped(eventType: String, channels: [String]?, payload: Data, among endpoints: [Endpoint]) -> [Endpoint] {
        let disabled = endpoints.filter(\.disabled).map { endpoint in
            var enabled = endpoint
            enabled.disabled = false
            return enabled
        }
        guard !disabled.isEmpty else { return [] }
        return route(eventType: eventType, channels: channels, payload: payload, to: disabled)
    }
}
