import HooklineCore

/// What every route group needs: the gateway, the edge limits and, on a delivering node, its governor.
struct RouteContext<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    let gateway: Gateway<Store, Clock>
    let maxBodyBytes: Int
    /// This node's per-endpoint governor, when it runs a delivery engine (circuit state in endpoint stats).
    var governor: EndpointGovernor? = nil
}
