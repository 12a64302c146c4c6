import Foundation
import Testing

@Suite struct DashboardTests {
    @Test func pageAndAssetsAreServedWithoutTheKey() async throws {
        try await TestNode.with { node in
            let anonymous = APIClient(baseURL: node.baseURL, apiKey: nil)
            let page = try await anonymous.call("GET", "/")
            #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(String(decoding: page.body, as: UTF8.self).contains("/dashboard.js"))
            let script = try await anonymous.call("GET", "/dashboard.js")
            let text = String(decoding: script.body, as: UTF8.self)
            #expect(script.status == 200 && text.contains("EventSource") && text.contains("/api/v1/stream/token"))
            #expect(!text.contains("http://") && !text.contains("https://"), "no CDN: every asset is local")
            #expect(try await anonymous.call("GET", "/dashboard.css").status == 200)
            #expect(try await anonymous.call("GET", "/api/v1/status").status == 401, "the data still needs the key")
        }
    }
}
