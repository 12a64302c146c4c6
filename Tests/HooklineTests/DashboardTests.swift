import Foundation
import Testing

@Suite(.timeLimit(.minutes(3))) struct DashboardTests {
    @Test func pagesAndAssetsAreServedWithoutTheKey() async throws {
        try await TestNode.with(.router) { node in
            let anonymous = node.api(apiKey: nil)
            let page = try await anonymous.call("GET", "/")
            #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(String(decoding: page.body, as: UTF8.self).contains("/assets/console.js"))
            #expect(page.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true, "the console is never framed")
            for name in ["ui.js", "charts.js", "shared-views.js", "console-views.js", "console.js", "portal.js"] {
                let script = try await anonymous.call("GET", "/assets/\(name)")
                let text = String(decoding: script.body, as: UTF8.self)
                #expect(script.status == 200 && script.headers["content-type"]?.hasPrefix("text/javascript") == true, "\(name)")
                // The only absolute URLs are XML namespaces and form placeholders: nothing is loaded from elsewhere.
                let remote = text.replacingOccurrences(of: "http://www.w3.org/", with: "").replacingOccurrences(of: "https://example.com/", with: "")
                #expect(!remote.contains("http://") && !remote.contains("https://"), "no CDN: \(name) loads nothing from elsewhere")
            }
            #expect(try await anonymous.call("GET", "/assets/hookline.css").headers["content-type"]?.hasPrefix("text/css") == true)
            #expect(try await anonymous.call("GET", "/assets/nope.js").status == 401, "only the embedded files are public")
            #expect(try await anonymous.call("GET", "/api/v1/status").status == 401, "the data still needs the key")
        }
    }

    @Test func thePortalPageIsEmbeddableWhereConfigured() async throws {
        try await TestNode.with(.router, configure: { $0.server.portal.frameAncestors = ["https://app.example.com"] }) { node in
            let page = try await node.api(apiKey: nil).call("GET", "/portal")
            #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("/assets/portal.js"))
            let policy = try #require(page.headers["content-security-policy"])
            #expect(policy.contains("frame-ancestors https://app.example.com") && policy.contains("script-src 'self'"))
            #expect(page.headers["referrer-policy"] == "no-referrer", "the token in the fragment never leaks through Referer")
        }
    }
}
