import HooklineCore

/// Reads of the active deliveries by due time, answered by `delivery_lane (priority, next_attempt_at)` alone.
///
/// The queue keeps no index on the due time by itself (v13 dropped `delivery_due`): every read here seeks each
/// priority level's range of the lane index, so it costs ten seeks whatever the backlog or the history holds.
enum SQLiteDueReads {
    /// The priority levels, as an SQL list.
    private static let levels = PriorityLane.levels.map(String.init).joined(separator: ", ")

    /// `1` when an active row is due at `?` (a leased row whose lease has lapsed counts): stops at the first.
    static let anyDueSQL = "SELECT 1 FROM delivery WHERE state IN (0, 1) AND priority IN (\(levels)) AND next_attempt_at <= ? LIMIT 1"

    /// The earliest `next_attempt_at` of an active row (`NULL` when none is active).
    static let earliestSQL = earliest(condition: "")

    /// The earliest `next_attempt_at` of an active row after `?` (`NULL` when none is).
    static let earliestAfterSQL = earliest(condition: " AND next_attempt_at > ?1")

    /// `MIN` over one `MIN` per level: each is the first entry of its level's range.
    private static func earliest(condition: String) -> String {
        let perLevel = PriorityLane.levels.map { level in
            "SELECT (SELECT MIN(next_attempt_at) FROM delivery WHERE state IN (0, 1) AND priority = \(level)\(condition)) AS due"
        }
        return "SELECT MIN(due) FROM (\(perLevel.joined(separator: " UNION ALL ")))"
    }
}
