import Histogram

extension Histogram where Count == UInt64 {
    /// An empty latency histogram in microseconds: 1 µs to 10 minutes, three significant digits.
    static func latency() -> Self {
        Self(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Records `duration` in microseconds, clamped into the trackable range so no sample is dropped.
    mutating func record(_ duration: Duration) {
        record(Swift.min(Swift.max(duration.inMicroseconds, 1), highestTrackableValue))
    }
}
