import Foundation
import HooklineCore
import HooklineTesting
import Testing

/// The engine tells its hand-off how far its claims have got, which decides how many slots commits may lease.
@Suite(.timeLimit(.minutes(3))) struct EngineProgressTests {
    @Test func aFullClaimMarksTheEngineBehindAndAShortOneCaughtUp() async throws {
        let directory = try TemporaryDirectory()
        let harness = try await EngineHarness(path: directory.path + "/hookline.sqlite", schedule: [.seconds(1)])
        let (app, endpoint) = try await harness.seed()
        // Ten deliveries due before the engine starts, four slots: its first claim takes four, as many as it asked for.
        let now = harness.clock.now()
        let backlog = (0..<10).map { _ in NewMessage(message: Fixtures.message(app: app, at: now), endpointIds: [endpoint.id], deliverAt: now) }
        _ = try await harness.store.insertMessages(backlog)
        #expect(harness.engine.handoff.progress == .unknown, "before any claim, commits lease nothing")
        harness.transport.hold()
        try await harness.run { harness in
            #expect(await harness.transport.waitForRequests(4) == 4)
            #expect(harness.engine.handoff.progress == .behind(level: PriorityLane.normal.level), "a full claim: six more wait")
            harness.transport.release()
            #expect(await harness.transport.waitForRequests(10) == 10)
            #expect(await harness.waitUntilIdle())
            #expect(harness.engine.handoff.progress == .caughtUp, "the last claim found fewer rows than free slots")
        }
    }
}
