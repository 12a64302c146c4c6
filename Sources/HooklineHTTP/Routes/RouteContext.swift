import HooklineCore

/// What every route group needs: the gateway and the edge limits.
struct RouteContext<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    let gateway: Gateway<Store, Clock>
    let maxBodyBytes: Int
}
