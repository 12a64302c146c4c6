import Foundation
import HooklineTesting
import Testing

/// Portal tokens live in the shared PostgreSQL store: every node of a cluster honours and revokes the same token.
@Suite(
    .serialized, .enabled(if: PostgresEnvironment.enabled, "set HOOKLINE_TEST_DATABASE_URL to run the PostgreSQL cluster tests"),
    .timeLimit(.minutes(5)))
struct PortalClusterTests {
    @Test func aTokenIssuedOnOneNodeIsHonouredAndRevokedOnEvery() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let nodeA = try HooklineProcess(arguments: ClusterTests.arguments(database: database.url))
            let nodeB = try HooklineProcess(arguments: ClusterTests.arguments(database: database.url))
            let baseA = try await nodeA.baseURL()
            let baseB = try await nodeB.baseURL()
            let admin = APIClient(baseURL: baseA)
            let app = try await StreamTests.app(admin, "Clustered")
            let other = try await StreamTests.app(admin, "Other")
            let token = try await PortalAccessTests.issue(admin, app)
            let onA = APIClient(baseURL: baseA, apiKey: token)
            let onB = APIClient(baseURL: baseB, apiKey: token)
            #expect(try await onB.call("GET", "/api/v1/app/\(app)/endpoint").status == 200, "node B honours node A's token")
            #expect(try await onB.call("GET", "/api/v1/app/\(other)/endpoint").status == 403, "and its scope")
            #expect(try await onB.call("POST", "/api/v1/auth/logout").status == 204)
            #expect(try await onA.call("GET", "/api/v1/app/\(app)/endpoint").status == 401, "node A refuses the token node B revoked")
            #expect(await nodeA.terminate(SIGTERM) == 0)
            #expect(await nodeB.terminate(SIGTERM) == 0)
        }
    }
}
