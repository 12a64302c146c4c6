import Foundation
import HooklineCore
import HooklineTesting
import ServiceLifecycle
import Synchronization
import Testing

/// The memory trimmer trims once per interval of its clock, and stops with its service group.
@Suite struct MemoryTrimmerTests {
    @Test func trimsOncePerIntervalUntilShutdown() async throws {
        let clock = ManualClock()
        let trims = Mutex(0)
        let trimmed = WakeSignal()
        let trimmer = MemoryTrimmer(configuration: .init(interval: .seconds(30)), clock: clock) {
            trims.withLock { $0 += 1 }
            trimmed.signal()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await trimmer.run() }
            #expect(await clock.waitForSleepers(1))
            #expect(clock.deadlines == [clock.now().adding(.seconds(30))])
            _ = clock.advance(by: .seconds(29))
            #expect(trims.withLock { $0 } == 0, "nothing before the interval has passed")
            _ = clock.advance(by: .seconds(1))
            await trimmed.wait()
            #expect(trims.withLock { $0 } == 1)
            #expect(await clock.waitForSleepers(1), "it sleeps toward the next trim")
            _ = clock.advance(by: .seconds(30))
            await trimmed.wait()
            #expect(trims.withLock { $0 } == 2)
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    @Test func theHeapCanBeTrimmedHere() {
        // On glibc the default trim is `malloc_trim(0)`, found at run time; were it missing, the trimmer would do nothing.
        #expect(Heap.canTrim, "glibc's malloc_trim was not found: the trimmer would never release memory")
        let kept = [UInt8](repeating: 7, count: 1 << 20)
        Heap.trim()
        #expect(kept.allSatisfy { $0 == 7 }, "live allocations survive a trim")
    }
}
