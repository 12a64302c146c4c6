import HooklineCore
import Logging

/// The live side of the API: the event stream's broadcaster, the stream-token signer and the status board.
package struct LiveServices<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// Fans the event log out to stream clients.
    package let broadcaster: Broadcaster<Store, Clock>
    /// Issues and checks stream tokens.
    package let signer: StreamTokenSigner
    /// Computes and caches `GET /api/v1/status`.
    package let status: StatusBoard<Clock>
    /// The delivery engine's per-endpoint governor, for circuit state in endpoint stats (`nil`: no engine).
    package let governor: EndpointGovernor?

    /// Bundles the live services.
    package init(
        broadcaster: Broadcaster<Store, Clock>, signer: StreamTokenSigner, status: StatusBoard<Clock>, governor: EndpointGovernor? = nil
    ) {
        self.broadcaster = broadcaster
        self.signer = signer
        self.status = status
        self.governor = governor
    }
}

extension LiveServices {
    /// Live services over a gateway's store and clock with default settings (no engine: no circuit states).
    package static func standalone(gateway: Gateway<Store, Clock>, apiKey: String, logger: Logger) -> LiveServices {
        LiveServices(
            broadcaster: Broadcaster(store: gateway.store, clock: gateway.clock, logger: logger), signer: StreamTokenSigner(apiKey: apiKey),
            status: StatusBoard(parts: StatusPart.standard(store: gateway.store, clock: gateway.clock, governor: nil), clock: gateway.clock))
    }
}
