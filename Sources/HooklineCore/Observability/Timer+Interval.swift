import Foundation
import Metrics

extension Timer {
    /// Records a `TimeInterval` in seconds, clamped at zero.
    func recordInterval(_ seconds: TimeInterval) {
        recordNanoseconds(Int64(max(0, seconds) * 1_000_000_000))
    }
}
