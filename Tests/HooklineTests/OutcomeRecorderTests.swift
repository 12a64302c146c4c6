import Foundation
import HooklineTesting
import Logging
import Testing

@testable import HooklineCore

/// The outcome recorder's batching: small batches gather for a while, and a full batch, an urgent outcome or
/// closing ends the wait. The recorders gather on a manual clock, so only the reason a test names ends a wait.
@Suite(.timeLimit(.minutes(1))) struct OutcomeRecorderTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let clock = ManualClock()

    /// A recorder gathering for 4 ms on the manual clock, whose batches arrive as delivery ids on the returned stream;
    /// `mayMakeDue` hears what each record reported.
    func recorder(
        batchSize: Int, mayMakeDue: AsyncStream<Bool>.Continuation? = nil
    ) -> (OutcomeRecorder<ManualClock>, AsyncStream<[Int64]>.AsyncIterator) {
        let (batches, sink) = AsyncStream<[Int64]>.makeStream()
        let recorder = OutcomeRecorder(
            configuration: .init(batchSize: batchSize, gathering: .milliseconds(4)), clock: clock, gatheringClock: clock,
            logger: Logger(label: "test")
        ) { plan in
            sink.yield(plan.moves.map(\.deliveryId))
        } onRecorded: { due in
            mayMakeDue?.yield(due)
        }
        return (recorder, batches.makeAsyncIterator())
    }

    func outcome(_ id: Int64, next: DeliveryOutcome.Next = .succeeded) -> DeliveryOutcome {
        let subject = CompletionSubject(
            appId: "app_1", messageId: "msg_\(id)", endpointId: "ep_1", attemptsBefore: 0, eventType: "order.paid", channels: nil,
            eventId: nil, messageCreatedAt: t0)
        return DeliveryOutcome(
            deliveryId: id, claimToken: 1, subject: subject, attempt: nil, next: next, now: t0, disablesEndpoint: false,
            autoDisableAfter: nil)
    }

    /// Runs a recorder (see `recorder`) for the duration of `body`, which gets it and its batches; then closes it.
    func withRecorder(
        batchSize: Int, mayMakeDue: AsyncStream<Bool>.Continuation? = nil,
        _ body: (OutcomeRecorder<ManualClock>, inout AsyncStream<[Int64]>.AsyncIterator) async -> Void
    ) async {
        let (recorder, batches) = recorder(batchSize: batchSize, mayMakeDue: mayMakeDue)
        var received = batches
        await withDiscardingTaskGroup { group in
            group.addTask { await recorder.run() }
            await body(recorder, &received)
            recorder.close()
        }
    }

    @Test func aSmallBatchWaitsOutTheGathering() async {
        await withRecorder(batchSize: 3) { recorder, received in
            recorder.submit(outcome(1))
            #expect(await clock.waitForSleepers(1), "one outcome of three waits for more")
            recorder.submit(outcome(2))
            #expect(recorder.unrecorded == 2, "both wait to be recorded")
            _ = clock.advance(by: .milliseconds(4))
            #expect(await received.next() == [1, 2], "one transaction for both")
        }
    }

    @Test func aFullBatchEndsTheGathering() async {
        await withRecorder(batchSize: 3) { recorder, received in
            recorder.submit(outcome(1))
            #expect(await clock.waitForSleepers(1))
            recorder.submit(outcome(2))
            recorder.submit(outcome(3))
            #expect(await received.next() == [1, 2, 3], "recorded with the clock standing still")
        }
    }

    @Test func anUrgentOutcomeOrClosingEndsTheGathering() async {
        await withRecorder(batchSize: 100) { recorder, received in
            recorder.submit(outcome(1))
            #expect(await clock.waitForSleepers(1))
            recorder.submit(outcome(2), urgent: true)
            #expect(await received.next() == [1, 2], "an ordered endpoint's next delivery waits for this record")
            recorder.submit(outcome(3))
            #expect(await clock.waitForSleepers(1))
            recorder.close()
            #expect(await received.next() == [3], "shutdown records what gathers without waiting")
        }
    }

    @Test func aRecordSaysWhetherItMayMakeRowsDue() async {
        let (reports, sink) = AsyncStream<Bool>.makeStream()
        var reported = reports.makeAsyncIterator()
        await withRecorder(batchSize: 1, mayMakeDue: sink) { recorder, received in
            recorder.submit(outcome(1))
            #expect(await received.next() == [1])
            #expect(await reported.next() == false, "a success makes nothing due")
            recorder.submit(outcome(2, next: .retry(at: t0.addingTimeInterval(5))))
            #expect(await received.next() == [2])
            #expect(await reported.next() == true, "a retry is due again later")
            recorder.submit(outcome(3), urgent: true)
            #expect(await received.next() == [3])
            #expect(await reported.next() == true, "an ordered endpoint's next delivery may be due now")
        }
    }
}

/// The engine's wake-up: a nudge wakes a waiter without asking it to claim.
@Suite struct WakeSignalRaiseTests {
    @Test func aNudgeWakesWithoutRaising() async {
        let signal = WakeSignal()
        signal.nudge()
        await signal.wait()
        #expect(!signal.takeRaised(), "a nudge wakes only")
        signal.signal()
        await signal.wait()
        #expect(signal.takeRaised())
        #expect(!signal.takeRaised(), "reading the raise clears it")
    }

    @Test func aNudgeStillSignalsFollowers() async {
        let signal = WakeSignal()
        let follower = WakeSignal()
        signal.forward(to: follower)
        signal.nudge()
        await follower.wait()
        #expect(follower.takeRaised(), "what follows a commit (the broadcaster) hears every one")
    }

    @Test func aCommitAsksForAClaimOnlyWhenItLeftRows() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        func item(_ endpoints: Int) -> NewMessage {
            NewMessage(
                message: Message(
                    id: "msg_\(endpoints)", appId: "app_1", eventType: "e", eventId: nil, payload: Data("{}".utf8), channels: nil, tags: nil,
                    createdAt: now),
                endpointIds: (0..<endpoints).map { "ep_\($0)" }, deliverAt: now)
        }
        let batch = [item(2), item(1), item(3)]
        let all = InsertResult(
            outcomes: [.inserted, .inserted, .duplicateEventId(existingId: "msg_0")],
            leased: [
                .init(item: 0, endpointIndex: 0, deliveryId: 1), .init(item: 0, endpointIndex: 1, deliveryId: 2),
                .init(item: 1, endpointIndex: 0, deliveryId: 3),
            ])
        #expect(all.leasedEveryRow(of: batch), "a duplicate creates no rows")
        var partial = all
        partial.leased.removeLast()
        #expect(!partial.leasedEveryRow(of: batch))
        #expect(!InsertResult(outcomes: [.inserted]).leasedEveryRow(of: [item(1)]))
        #expect(InsertResult(outcomes: [.inserted]).leasedEveryRow(of: [item(0)]), "a message routed nowhere leaves nothing to claim")
    }
}
