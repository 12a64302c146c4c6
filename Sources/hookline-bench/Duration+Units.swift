extension Duration {
    /// Whole microseconds, clamped at zero: a latency never runs backwards.
    var inMicroseconds: UInt64 {
        let (seconds, attoseconds) = components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return microseconds > 0 ? UInt64(microseconds) : 0
    }

    /// Fractional seconds, for rates and for printing.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
