import Foundation
import Testing

@testable import HooklineCore

/// The one-shot event behind the idempotency gate's in-flight requests.
@Suite(.timeLimit(.minutes(1))) struct CompletionTests {
    @Test func finishWakesWaitersBeforeAndAfter() async {
        let completion = Completion()
        async let early: Void = completion.wait()
        completion.finish()
        await early
        await completion.wait()  // after finish: returns at once
    }

    @Test func aCancelledWaiterStopsWaiting() async {
        let completion = Completion()
        let waiter = Task {
            await completion.wait()
            return Task.isCancelled
        }
        waiter.cancel()
        #expect(await waiter.value, "the waiter returned because it was cancelled, while the event is still unfinished")
        completion.finish()
    }
}
