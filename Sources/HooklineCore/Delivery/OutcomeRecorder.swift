import Foundation
import Logging
import Synchronization

/// Gathers delivery outcomes and records them in batches: one `CompletionPlan`, persisted in one transaction, per batch.
///
/// When fewer than `batchSize` outcomes wait, it gathers for up to `gathering` first, so moderate load writes a
/// few larger transactions instead of many small ones. A full batch, an urgent outcome (an ordered endpoint's: its
/// next delivery waits for it) and `close()` end the gathering at once.
final class OutcomeRecorder<Clock: HooklineClock>: Sendable {
    /// How the recorder batches.
    struct Configuration: Sendable {
        /// Outcomes that are recorded at once, without gathering.
        var batchSize: Int
        /// The longest a smaller batch waits for more outcomes (real time: it decides nothing, only batches).
        var gathering: Duration
    }

    private struct State {
        var outcomes: [DeliveryOutcome] = []
        var urgent = false
        var closed = false
        /// Outcomes of the batch being written.
        var recording = 0

        /// Whether what waits should wait a little for more.
        func gathers(_ batchSize: Int) -> Bool { outcomes.count < batchSize && !urgent && !closed }
    }

    private let configuration: Configuration
    private let persist: @Sendable (CompletionPlan) async throws -> Void
    private let clock: Clock
    private let gatheringClock: any HooklineClock
    private let state = Mutex(State())
    private let signal = WakeSignal()
    private let onRecorded: @Sendable (_ mayMakeDue: Bool) -> Void
    private let logger: Logger

    /// Creates a recorder that writes each batch's plan with `persist` and calls `onRecorded` after each (saying whether
    /// the batch held an urgent outcome or scheduled a retry, which may make rows due); it gathers on
    /// `gatheringClock` (real time unless a test says otherwise) and waits out store failures on `clock`.
    init(
        configuration: Configuration, clock: Clock, gatheringClock: any HooklineClock = SystemClock(), logger: Logger,
        persist: @escaping @Sendable (CompletionPlan) async throws -> Void, onRecorded: @escaping @Sendable (_ mayMakeDue: Bool) -> Void
    ) {
        self.configuration = configuration
        self.persist = persist
        self.clock = clock
        self.gatheringClock = gatheringClock
        self.logger = logger
        self.onRecorded = onRecorded
    }

    /// Queues an outcome for the next batch; an `urgent` one (something waits for it) is recorded without gathering.
    func submit(_ outcome: DeliveryOutcome, urgent: Bool = false) {
        let wake = state.withLock { state -> Bool in
            state.outcomes.append(outcome)
            if urgent { state.urgent = true }
            // The recorder waits for the first outcome, and while gathering only for a full batch or an urgent one.
            return state.outcomes.count == 1 || state.outcomes.count == configuration.batchSize || urgent
        }
        if wake { signal.signal() }
    }

    /// Outcomes submitted and not yet recorded (or given up on).
    var unrecorded: Int { state.withLock { $0.outcomes.count + $0.recording } }

    /// Makes `run()` return once everything submitted is recorded.
    func close() {
        state.withLock { $0.closed = true }
        signal.signal()
    }

    /// Records batches until closed and drained, or cancelled.
    func run() async {
        while !Task.isCancelled {
            let (waiting, gathers) = state.withLock { ($0.outcomes.count, $0.gathers(configuration.batchSize)) }
            if waiting == 0 {
                if state.withLock({ $0.closed }) { return }
                await signal.wait()
                continue
            }
            if gathers {
                let deadline = gatheringClock.now().addingTimeInterval(configuration.gathering.timeInterval)
                while state.withLock({ $0.gathers(configuration.batchSize) }), gatheringClock.now() < deadline, !Task.isCancelled {
                    await signal.wait(until: deadline, on: gatheringClock)
                }
            }
            let (batch, urgent) = state.withLock { state in
                defer {
                    state.recording = state.outcomes.count
                    state.outcomes.removeAll(keepingCapacity: true)
                    state.urgent = false
                }
                return (state.outcomes, state.urgent)
            }
            await record(batch, mayMakeDue: urgent || batch.contains(where: \.schedulesRetry))
            state.withLock { $0.recording = 0 }
        }
    }

    private func record(_ batch: [DeliveryOutcome], mayMakeDue: Bool) async {
        // Everything but the guarded row updates is decided here, once, without I/O.
        let plan = CompletionPlan(batch)
        var failures = 0
        while true {
            do {
                try await persist(plan)
                onRecorded(mayMakeDue)
                return
            } catch {
                failures += 1
                if failures <= 5 || failures % 30 == 0 {
                    logger.error("recording delivery outcomes failed", metadata: ["error": "\(error)", "count": "\(batch.count)"])
                }
                // Unrecorded outcomes are not lost: their leases expire and the deliveries run again. During an outage
                // they are kept until the store answers (unless shutting down): dropped, their rows would stay leased,
                // counted against their endpoint's cap, until the lease lapses, long after the database is back.
                let outage = (error as? HooklineError).map { $0.code == .unavailable || $0.code == .outcomeUnknown } ?? false
                let closed = state.withLock { $0.closed }
                if (failures >= 5 && (!outage || closed)) || Task.isCancelled { return }
                try? await clock.sleep(until: clock.now().adding(.milliseconds(100 * min(failures, 5))))
            }
        }
    }
}
