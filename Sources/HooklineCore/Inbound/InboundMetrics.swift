import Metrics

/// The inbound gateway's metrics.
public struct InboundMetrics: Sendable {
    /// Requests acknowledged and stored for routing.
    public let accepted = Counter(label: "hookline_inbound_requests_total", dimensions: [("result", "accepted")])
    /// Requests acknowledged as repeats of an event id within the window.
    public let duplicates = Counter(label: "hookline_inbound_requests_total", dimensions: [("result", "duplicate")])
    /// Requests whose signature or credential did not verify.
    public let verificationFailures = Counter(label: "hookline_inbound_verification_failures_total")
    /// Stored requests turned into messages.
    public let routed = Counter(label: "hookline_inbound_routed_total")

    /// Creates the metric handles.
    public init() {}
}
