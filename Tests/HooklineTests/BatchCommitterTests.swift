import Foundation
import Logging
import Testing

@testable import HooklineCore

/// The group-commit batcher: every caller learns its item's fate, even when the writer misbehaves.
@Suite struct BatchCommitterTests {
    @Test func aWriterThatAnswersTooFewOutcomesFailsEveryCallerInsteadOfHangingThem() async throws {
        let committer = BatchCommitter<Int, Int>(committed: WakeSignal(), logger: Logger(label: "test")) { items in
            Array(items.dropLast())  // one outcome short
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await committer.run() }
            do {
                _ = try await committer.commit(1)
                Issue.record("a batch answered with 0 outcomes for 1 item returned a value")
            } catch let error as HooklineError {
                #expect(error.code == .internalError, "\(error)")
            }
            group.cancelAll()
        }
    }

    @Test func outcomesReachTheirCallersInOrder() async throws {
        let committer = BatchCommitter<Int, Int>(committed: WakeSignal(), logger: Logger(label: "test")) { items in
            items.map { $0 * 10 }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await committer.run() }
            let results = try await withThrowingTaskGroup(of: (Int, Int).self) { callers in
                for item in 1...20 { callers.addTask { (item, try await committer.commit(item)) } }
                return try await callers.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
            }
            #expect(results == Dictionary(uniqueKeysWithValues: (1...20).map { ($0, $0 * 10) }))
            group.cancelAll()
        }
    }
}
