import Foundation
import HooklineCore
import HooklineTesting
import Logging
import Testing

/// The executor takes its retry jitter from the injected random source, not from the system generator.
@Suite struct DeliveryJitterTests {
    let clock = ManualClock()

    private func failedOnce(seed: UInt64, policy: RetryPolicy) async -> DeliveryOutcome.Next {
        let transport = RecordingTransport()
        transport.script([TransportResponse(statusCode: 500, body: "boom")])
        let executor = DeliveryExecutor(
            configuration: .init(retryPolicy: policy, random: RandomSource(SplitMix64(seed: seed))), transport: transport,
            clock: clock, logger: Logger(label: "test"))
        let now = clock.now()
        let app = Fixtures.application(at: now)
        let message = Fixtures.message(app: app, at: now)
        let endpoint = Fixtures.endpoint(app: app, at: now)
        let delivery = Delivery(
            id: 1, messageId: message.id, endpointId: endpoint.id, appId: app.id, state: .sending, attempts: 0, nextAttemptAt: now)
        let claimed = ClaimedDelivery(delivery: delivery, claimToken: 1, message: message, endpoint: endpoint)
        return await executor.execute(claimed).next
    }

    @Test func jitterIsDrawnFromTheInjectedGenerator() async throws {
        let policy = RetryPolicy(schedule: [.seconds(100)], jitter: 0.2)
        for seed: UInt64 in [1, 2, 42] {
            var expectedGenerator = SplitMix64(seed: seed)
            let delay = try #require(policy.delay(afterAttempts: 1, using: &expectedGenerator))
            #expect(delay != .seconds(100), "seed \(seed) jitters the delay")
            #expect(await failedOnce(seed: seed, policy: policy) == .retry(at: clock.now().adding(delay)))
        }
    }

    @Test func sameSeedSameRetryTimeDifferentSeedsDiffer() async {
        let policy = RetryPolicy(schedule: [.seconds(100)], jitter: 0.2)
        let first = await failedOnce(seed: 7, policy: policy)
        #expect(await failedOnce(seed: 7, policy: policy) == first)
        #expect(await failedOnce(seed: 8, policy: policy) != first)
    }
}
