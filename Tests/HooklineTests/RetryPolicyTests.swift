import Foundation
import HooklineCore
import HooklineTesting
import Testing

@Suite struct RetryPolicyTests {
    @Test func followsTheScheduleThenGivesUp() {
        let policy = RetryPolicy(schedule: [.seconds(5), .seconds(300)], jitter: 0)
        var generator = SplitMix64(seed: 1)
        #expect(policy.delay(afterAttempts: 1, using: &generator) == .seconds(5))
        #expect(policy.delay(afterAttempts: 2, using: &generator) == .seconds(300))
        #expect(policy.delay(afterAttempts: 3, using: &generator) == nil)
        #expect(policy.maxAttempts == 3)
    }

    @Test func jitterStaysWithinTwentyPercentAndVaries() {
        let policy = RetryPolicy(schedule: [.seconds(100)])
        var generator = SplitMix64(seed: 42)
        let delays = (0..<500).compactMap { _ in policy.delay(afterAttempts: 1, using: &generator)?.timeInterval }
        #expect(delays.count == 500)
        #expect(delays.allSatisfy { $0 >= 80 && $0 <= 120 })
        #expect(delays.min()! < 85 && delays.max()! > 115, "jitter should spread over the range")
    }

    @Test func retryAfterIsClampedToTwiceTheSchedule() {
        let policy = RetryPolicy(schedule: [.seconds(10)], jitter: 0, overloadMinimum: .seconds(0))
        var generator = SplitMix64(seed: 1)
        #expect(policy.delay(afterAttempts: 1, hint: RetryHint(retryAfter: .seconds(15)), using: &generator) == .seconds(15))
        #expect(policy.delay(afterAttempts: 1, hint: RetryHint(retryAfter: .seconds(3600)), using: &generator) == .seconds(20))
        #expect(policy.delay(afterAttempts: 1, hint: RetryHint(retryAfter: .seconds(1)), using: &generator) == .seconds(10))
    }

    @Test func overloadWaitsAtLeastTheMinimum() {
        let policy = RetryPolicy(schedule: [.seconds(5)], jitter: 0, overloadMinimum: .seconds(60))
        var generator = SplitMix64(seed: 1)
        #expect(policy.delay(afterAttempts: 1, hint: RetryHint(overloaded: true), using: &generator) == .seconds(60))
    }

    @Test func parsesDurationLists() throws {
        #expect(try DurationList.parse("250ms,5s,5m,2h,1d") == [.milliseconds(250), .seconds(5), .seconds(300), .seconds(7200), .seconds(86400)])
        #expect(throws: HooklineError.self) { try DurationList.parse("5x") }
        #expect(throws: HooklineError.self) { try DurationList.parse("-1s") }
    }

    @Test func parsesRetryAfter() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        let date = now.addingTimeInterval(30)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(RetryAfter.parse(formatter.string(from: date), now: now) == .seconds(30))
        #expect(RetryAfter.parse("soon", now: now) == nil)
    }
}
