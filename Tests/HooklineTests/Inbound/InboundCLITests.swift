import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite(.timeLimit(.minutes(3))) struct InboundCLITests {
    @Test func sourceCommands() async throws {
        try await TestNode.with { node in
            let cli = CLIRunner(server: node.baseURL)
            #expect(try await cli.run(["app", "create", "Shop", "--uid", "shop"]).status == 0)
            let created = try await cli.run([
                "source", "create", "Shopify", "--app", "shop", "--scheme", "shopify", "--secret", "shpss_secret", "--uid", "shopify",
                "--correlation-id", "json:order_id", "--json",
            ])
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.json["ingestPath"] as? String == "/in/\(created.json["id"] as? String ?? "")")
            #expect(created.json["eventType"] as? String == "header:x-shopify-topic")
            #expect(created.json["dedupId"] as? String == "header:x-shopify-webhook-id")
            let list = try await cli.run(["source", "list"])
            #expect(list.stdout.hasPrefix("ID") && list.stdout.contains("shopify"))
            #expect(try await cli.run(["source", "get", "shopify"]).stdout.contains("shpss_secret"))

            let body = Data(#"{"id":820982911946154508}"#.utf8)
            let reply = try await InboundClient(baseURL: node.baseURL).send(
                "/in/shopify", body: body,
                headers: [("X-Shopify-Hmac-Sha256", "jqbalbO3Z8mDmrF2/+wzM3KYvbgqzVBF969vgiIy80I="), ("X-Shopify-Topic", "orders/create")])
            #expect(reply.status == 200)
            let requests = try await cli.run(["source", "requests", "shopify"])
            #expect(requests.stdout.contains("verified"), "\(requests.stdout)")

            let invalid = try await cli.run(["source", "create", "Bad", "--app", "shop", "--scheme", "nope"])
            #expect(invalid.status != 0 && invalid.stderr.contains("422"))
            #expect(try await cli.run(["source", "delete", "shopify"]).status == 0)
            #expect(try await cli.run(["source", "get", "shopify"]).stderr.contains("source not found"))
        }
    }
}
