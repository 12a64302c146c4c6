import HooklineCore

/// What the inbound routes need: the inbound gateway.
struct InboundRouteContext<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    let inbound: InboundGateway<Store, Clock>
    let maxBodyBytes: Int
}
