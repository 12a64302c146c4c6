import Foundation
import HooklineCore

/// Waiting for a condition in tests: re-checked on every signal, bounded by a real-time deadline.
package enum Deadline {
    /// Waits until `condition` holds or `timeout` passes; returns whether it holds.
    @discardableResult
    package static func wait(timeout: Duration, signal: WakeSignal, _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = Date().adding(timeout)
        while Date() < deadline {
            if await condition() { return true }
            await signal.wait(until: min(deadline, Date().addingTimeInterval(0.05)), on: SystemClock())
        }
        return await condition()
    }
}
