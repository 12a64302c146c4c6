import Foundation
import Synchronization

/// Hands deliveries leased at commit ("claim at commit") from the message committer to the delivery engine
/// in memory, so fresh work skips the claim transaction and the reads that rebuild it.
///
/// The committer asks for a `CommitLease` before it writes: rows are picked only for endpoints that need
/// nothing the claim plan decides (not ordered, not throttled, room to run or park under the cap, circuit
/// closed), and only as many as the engine has free slots, which the grant takes. While the engine is caught up
/// (its last claim found less due work than it asked for, so no older row waits) every free slot may be granted.
/// While it is behind, commits may use only the slots beyond `backlogReserve`, and only for messages at least as
/// urgent as the most urgent row of the last claim (so no fresh row overtakes a more urgent one still waiting): the
/// reserve stays for claims, which serve the backlog in claim order, and fresh rows keep the cheap path instead of
/// joining the backlog's queue (without it a node that fell behind under flat-out ingest never caught up: the claim
/// path alone delivered less than ingest added). After the commit, `hand` queues the leased rows for the engine and returns the unused
/// slots. Rows handed after `close()` stay leased in the store and come back when the lease lapses (or at the next
/// start, on SQLite).
package final class DeliveryHandoff: Sendable {
    /// How far the engine's claims have got, as the last claim found it.
    package enum Progress: Sendable, Equatable {
        /// No claim has succeeded yet, or the last one failed: commits lease nothing.
        case unknown
        /// The last claim took every due row it could, the most urgent at `level`: commits lease only beyond the backlog
        /// reserve, and only for messages of `level` or above.
        case behind(level: Int)
        /// The last claim found fewer due rows than it asked for: commits may lease into every free slot.
        case caughtUp
    }

    private struct State {
        var progress = Progress.unknown
        var closed = false
        var ready: [ClaimedDelivery] = []
        var handed = 0
    }

    private let state = Mutex(State())
    let slots: SlotCounter
    let governor: EndpointGovernor
    let leaseDuration: Duration
    /// Free slots commits leave to claims while the engine is behind.
    let backlogReserve: Int
    let wake: WakeSignal
    /// Raised when deliveries are handed over, so an engine gathering slots for a claim starts them at once.
    let arrived = WakeSignal()
    let clock: @Sendable () -> Date
    let metrics = HooklineMetrics()

    /// Creates a hand-off over the engine's `slots`; while behind, commits leave `backlogReserve` free slots to claims.
    init(
        slots: SlotCounter, governor: EndpointGovernor, leaseDuration: Duration, backlogReserve: Int, wake: WakeSignal,
        clock: @escaping @Sendable () -> Date
    ) {
        self.clock = clock
        self.slots = slots
        self.governor = governor
        self.leaseDuration = leaseDuration
        self.backlogReserve = max(0, backlogReserve)
        self.wake = wake
    }

    /// The rows of `batch` to lease now; takes one engine slot per picked row.
    package func grant(for batch: [NewMessage]) -> CommitLease {
        let reserve: Int
        let level: Int
        switch state.withLock({ $0.closed ? .unknown : $0.progress }) {
        case .unknown: return .none
        case .behind(let urgent): (reserve, level) = (backlogReserve, urgent)
        case .caughtUp: (reserve, level) = (0, PriorityLane.levels.lowerBound)
        }
        let now = clock()
        var wanted = 0
        var picks: [[Int]] = []
        picks.reserveCapacity(batch.count)
        for item in batch {
            var own: [Int] = []
            if item.deliverAt <= now, item.endpoints.count == item.endpointIds.count,
                PriorityLane(clamping: item.message.priority).level >= level
            {
                for (index, endpoint) in item.endpoints.enumerated() where eligible(endpoint, item: item) {
                    own.append(index)
                }
            }
            wanted += own.count
            picks.append(own)
        }
        guard wanted > 0 else { return .none }
        let taken = slots.take(upTo: wanted, leaving: reserve)
        guard taken > 0 else { return .none }
        if taken < wanted {
            var left = taken
            picks = picks.map { own in
                let kept = Array(own.prefix(left))
                left -= kept.count
                return kept
            }
        }
        return CommitLease(until: now.adding(leaseDuration), picks: picks)
    }

    /// Queues the rows `result` leased for the engine and gives back the slots `lease` took but did not use.
    package func hand(_ result: InsertResult, of batch: [NewMessage], lease: CommitLease) {
        let granted = lease.picks.reduce(0) { $0 + $1.count }
        guard granted > 0 else { return }
        let claimed = result.leased.map { row -> ClaimedDelivery in
            let item = batch[row.item]
            let message = item.message
            let delivery = Delivery(
                id: row.deliveryId, messageId: message.id, endpointId: item.endpointIds[row.endpointIndex], appId: message.appId,
                state: .sending, attempts: 0, nextAttemptAt: lease.until, priority: PriorityLane(clamping: message.priority).level)
            var claimed = ClaimedDelivery(delivery: delivery, claimToken: 1, message: message, endpoint: item.endpoints[row.endpointIndex])
            claimed.applicationThrottleRate = item.applicationThrottleRate
            return claimed
        }
        let queued = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.ready += claimed
            state.handed += claimed.count
            return true
        }
        if queued { metrics.deliveriesLeasedAtCommit.increment(by: claimed.count) }
        let unused = queued ? granted - claimed.count : granted
        if unused > 0 { slots.release(unused) }
        if queued && !claimed.isEmpty {
            arrived.signal()
            // The rows hold slots the engine may be waiting for: it must wake to start them, not wait for a release.
            slots.wakeWaiters()
            // Only to take them: handed rows ask for no claim.
            wake.nudge()
        }
    }

    /// How many deliveries commits have handed to the engine since start.
    package var handedCount: Int { state.withLock { $0.handed } }

    /// How far the engine's claims have got, as its last claim found it.
    package var progress: Progress { state.withLock { $0.progress } }

    /// Engine: how far its claims have got (set after each claim), which decides how many slots commits may lease.
    func setProgress(_ progress: Progress) {
        state.withLock { $0.progress = progress }
    }

    /// Engine: the handed deliveries not yet taken; each already holds an engine slot.
    func take() -> [ClaimedDelivery] {
        state.withLock { state in
            defer { state.ready.removeAll(keepingCapacity: true) }
            return state.ready
        }
    }

    /// Engine: stops accepting hand-offs and returns what is still queued.
    func close() -> [ClaimedDelivery] {
        state.withLock { state in
            state.closed = true
            defer { state.ready.removeAll() }
            return state.ready
        }
    }

    private func eligible(_ endpoint: Endpoint, item: NewMessage) -> Bool {
        guard !endpoint.disabled, !endpoint.ordered, endpoint.throttleRate == nil, item.applicationThrottleRate == nil else { return false }
        return governor.mayHold(endpointId: endpoint.id)
    }
}
