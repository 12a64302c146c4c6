import ArgumentParser
import Foundation
import HooklineHTTP

/// The `serve` flags of the tenant portal.
struct PortalOptions: ParsableArguments {
    @Option(
        help: "Public base URL for tenant-portal links, e.g. https://hooks.example.com (HOOKLINE_PORTAL_URL; default: the request's host over http).")
    var portalUrl: String?

    @Option(
        help:
            "An origin allowed to embed the tenant portal in an iframe, e.g. https://app.example.com; repeatable (HOOKLINE_PORTAL_FRAME_ANCESTORS, comma-separated; default 'self')."
    )
    var portalFrameAncestor: [String] = []

    /// The portal settings from these flags, else from `HOOKLINE_PORTAL_*`; throws for a malformed URL or origin.
    func settings(environment: [String: String]) throws -> HooklineServer.Configuration.Portal {
        let url = portalUrl ?? environment["HOOKLINE_PORTAL_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("the portal URL must start with http:// or https://")
        }
        let ancestors =
            portalFrameAncestor.isEmpty
            ? (environment["HOOKLINE_PORTAL_FRAME_ANCESTORS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            : portalFrameAncestor
        // Each source goes into a CSP header: no spaces, semicolons or commas that would change its meaning.
        if let bad = ancestors.first(where: { $0.contains(where: { " ;,\r\n".contains($0) }) }) {
            throw ValidationError("'\(bad)' is not a frame-ancestors source (e.g. https://app.example.com or 'self')")
        }
        return .init(publicURL: url, frameAncestors: ancestors.isEmpty ? ["'self'"] : ancestors)
    }
}
