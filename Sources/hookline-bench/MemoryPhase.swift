import Foundation

/// Phase 5: Hookline's resident memory after a number of messages. Counts are cumulative over the
/// whole run; when the earlier phases have not reached a checkpoint, wrk tops up with messages to an
/// application without endpoints (bounded in time, so a slow server may stop short). The runner takes
/// the first checkpoint before phase 1 (which alone sends more than 100 000 in a full run) and the
/// others after the last load phase.
struct MemoryPhase {
    /// One reading.
    struct Checkpoint: Codable, Sendable {
        /// The count asked for.
        var target: Int
        /// Messages Hookline had acknowledged when RSS was read.
        var messages: Int
        /// Resident set size then, KiB.
        var rssKib: Int?
    }

    /// Tops up to each of `checkpoints` in turn and reads RSS one second after each.
    func run(_ context: PhaseContext, applicationID: String, checkpoints: some Sequence<Int>) async throws -> [Checkpoint] {
        var readings: [Checkpoint] = []
        for target in checkpoints {
            let missing = target - context.hooklineMessages
            if missing > 0 {
                Console.progress("5. memory: \(missing) more messages to reach \(target)")
                let outcome = try await context.wrk.run(
                    .init(
                        name: "5-memory-\(target)",
                        url: context.messageURL(applicationID),
                        apiKey: context.hookline.apiKey,
                        duration: .seconds(context.plan.memoryTopUpSeconds),
                        quotaPerThread: (missing + context.plan.threads - 1) / context.plan.threads,
                        collectIDs: false
                    )
                )
                context.recordHookline(count: outcome.result.acked)
            }
            try? await Task.sleep(for: .seconds(1))
            let memory = context.hooklinePID.flatMap(ProcessMemory.read(pid:))
            readings.append(Checkpoint(target: target, messages: context.hooklineMessages, rssKib: memory?.rssKib))
        }
        return readings
    }
}
