import Foundation

/// How urgent a message is, and the claim order it implies: pure arithmetic, no I/O.
///
/// Levels run from 0 (least urgent) to 9 (most urgent); 5 is the default. Claims order due
/// deliveries by an *effective due time*, `nextAttemptAt − level × aging`: one level is worth
/// `aging` (10 s) of waiting. A level-8 delivery therefore goes before level-5 deliveries that
/// became due less than 30 s before it, but a level-5 delivery that has waited longer than that goes
/// first — a low level delays a delivery by at most 9 × 10 s behind newer urgent work, it never
/// starves. Priority never makes a delivery due early: only due rows are claimed.
///
/// Stores apply the same key (see `sortKey`) in SQL, one index lane per level.
public struct PriorityLane: Sendable, Hashable, Comparable {
    /// Every level, least urgent first.
    public static let levels: ClosedRange<Int> = 0...9
    /// The level of a message that names none.
    public static let normal = PriorityLane(level: 5)
    /// The level the API calls `"high"`.
    public static let high = PriorityLane(level: 8)
    /// The level the API calls `"low"`.
    public static let low = PriorityLane(level: 2)
    /// How much waiting one level is worth, in milliseconds (10 s).
    public static let agingMilliseconds: Int64 = 10_000

    /// The level, within `levels`.
    public let level: Int

    /// A lane for `level`, clamped into `levels`.
    public init(clamping level: Int) {
        self.level = min(max(level, Self.levels.lowerBound), Self.levels.upperBound)
    }

    private init(level: Int) {
        self.level = level
    }

    /// The lane the API names `"high"`, `"normal"` or `"low"` (case-insensitive), or `nil`.
    public init?(name: String) {
        switch name.lowercased() {
        case "high": self = .high
        case "normal": self = .normal
        case "low": self = .low
        default: return nil
        }
    }

    /// How far ahead of its due time this lane's deliveries are ordered, in milliseconds.
    public var advanceMilliseconds: Int64 { Int64(level) * Self.agingMilliseconds }

    /// The effective due time (ms since 1970) claims order by: smaller goes first.
    public func sortKey(dueAtMilliseconds due: Int64) -> Int64 {
        due - advanceMilliseconds
    }

    /// The effective due time of a delivery due at `due`.
    public func sortKey(dueAt due: Date) -> Int64 {
        sortKey(dueAtMilliseconds: due.millisecondsSince1970)
    }

    /// Orders lanes by level.
    public static func < (lhs: PriorityLane, rhs: PriorityLane) -> Bool { lhs.level < rhs.level }
}
