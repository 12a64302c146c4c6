import HooklineCore

/// What the inbound routes need: the inbound gateway.
struct InboundRouteContext<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// The core inbound operations.
    let inbound: InboundGateway<Store, Clock>
    /// The body limit of the management calls.
    let maxBodyBytes: Int
}
