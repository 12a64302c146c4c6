import Foundation
import HooklineTesting
import Testing

@testable import HooklineCore

/// The parked-delivery FIFO: oldest first across its compactions, and emptied whole in order.
@Suite struct ParkedQueueTests {
    let t0 = Date(millisecondsSince1970: 1_764_480_000_000)

    private func delivery(_ id: Int64) -> ClaimedDelivery {
        let app = Fixtures.application(at: t0)
        let message = Fixtures.message(app: app, at: t0)
        let row = Delivery(
            id: id, messageId: message.id, endpointId: "ep_1", appId: app.id, state: .sending, attempts: 0, nextAttemptAt: t0)
        return ClaimedDelivery(delivery: row, claimToken: 1, message: message, endpoint: nil)
    }

    @Test func keepsArrivalOrderAcrossCompactions() {
        var queue = ParkedQueue()
        #expect(queue.isEmpty && queue.popFirst() == nil)
        var next: Int64 = 0
        var expected: Int64 = 0
        // Interleave appends and takes so the front passes the compaction threshold many times.
        for round in 0..<50 {
            for _ in 0..<(round % 7 + 3) {
                queue.append(delivery(next))
                next += 1
            }
            for _ in 0..<(round % 5 + 1) {
                guard let taken = queue.popFirst() else { break }
                #expect(taken.delivery.id == expected, "oldest first")
                expected += 1
            }
            #expect(queue.count == Int(next - expected))
        }
        let rest = queue.removeAll()
        #expect(rest.map(\.delivery.id) == Array(expected..<next), "the rest, oldest first")
        #expect(queue.isEmpty && queue.count == 0)
        queue.append(delivery(next))
        #expect(queue.elements.map(\.delivery.id) == [next], "usable again after being emptied")
    }
}
