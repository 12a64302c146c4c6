import Foundation
import Testing

@testable import HooklinePostgres

/// The signal that abandons operations still on a replaced pool client (the black-hole and outage tests show the
/// effect: deliveries resume within 2 s of the database instead of after a stalled call's 15 s).
@Suite struct PoolRetirementTests {
    @Test func retirementWakesEveryWaiterBeforeAndAfter() async {
        let retirement = PoolRetirement()
        #expect(!retirement.isRetired)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { await retirement.wait() } }
            group.addTask { retirement.retire() }
            await group.waitForAll()
        }
        #expect(retirement.isRetired)
        await retirement.wait()  // a waiter arriving after the replacement returns at once
        retirement.retire()  // a second call changes nothing
        #expect(retirement.isRetired)
    }

    @Test func aCancelledWaiterReturnsWithoutRetirement() async {
        let retirement = PoolRetirement()
        let waiter = Task { await retirement.wait() }
        waiter.cancel()
        await waiter.value
        #expect(!retirement.isRetired, "cancellation ends the wait, not the client")
    }
}
