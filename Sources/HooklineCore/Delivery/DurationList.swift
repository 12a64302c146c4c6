import Foundation

/// Parses human durations such as `250ms`, `5s`, `5m`, `2h`, `1d` and comma lists of them.
public enum DurationList {
    /// Parses one duration.
    public static func parseOne(_ text: String) throws -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            if let value = Double(number), value >= 0, value.isFinite {
                return .milliseconds(Int64((value * scale * 1000).rounded()))
            }
        }
        throw HooklineError(.validation, "'\(trimmed)' is not a duration such as 250ms, 5s, 5m, 2h or 1d")
    }

    /// Parses a comma-separated list of durations.
    public static func parse(_ text: String) throws -> [Duration] {
        try text.split(separator: ",").map { try parseOne(String($0)) }
    }
}
