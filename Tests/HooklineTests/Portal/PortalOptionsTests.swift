import Foundation
import Testing

/// The portal's `serve` flags refuse values that would break the link or the CSP header, before anything starts.
@Suite(.timeLimit(.minutes(3))) struct PortalOptionsTests {
    @Test func malformedPortalSettingsAreRefused() async throws {
        let directory = try TemporaryDirectory()
        let base = ["serve", "--port", "0", "--data-dir", directory.path, "--api-key", "k"]
        let badAncestor = try await HooklineProcess.run(base + ["--portal-frame-ancestor", "https://a.example; script-src *"])
        #expect(badAncestor.status != 0 && badAncestor.output.contains("is not a frame-ancestors source"))
        let badURL = try await HooklineProcess.run(base + ["--portal-url", "hooks.example.com"])
        #expect(badURL.status != 0 && badURL.output.contains("the portal URL must start with http:// or https://"))
    }
}
