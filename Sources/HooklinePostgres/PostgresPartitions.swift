import Foundation
import HooklineCore

/// A table of the PostgreSQL store partitioned by UTC day of its time-ordered id (`message`, `attempt`).
///
/// Ids start with 9 base62 digits of their creation time in milliseconds (`Identifier`), so a day is the id range
/// `[Identifier.floor(day), Identifier.floor(next day))` under the column's `"C"` collation, and a lookup by id
/// reaches one partition. Three kinds of partition exist: one per day (`message_d20261130`), at most one holding
/// everything older than a day bound (`message_upto_20261201`: the table as it was before partitioning), and the
/// default partition (`message_default`: ids no other partition covers, and rows retention must keep).
enum PostgresPartitionedTable: String, CaseIterable, Sendable {
    /// Messages.
    case message
    /// Delivery attempts.
    case attempt

    /// The kind of the ids the table is keyed by.
    var idKind: Identifier.Kind {
        switch self {
        case .message: .message
        case .attempt: .attempt
        }
    }

    /// The default partition's name.
    var defaultPartition: String { rawValue + "_default" }

    /// The smallest id of this table made at or after `day`'s start.
    func bound(_ day: PostgresPartitionDay) -> String {
        Identifier.floor(idKind, at: Date(millisecondsSince1970: day.start))
    }
}

/// One UTC day, the unit of partitioning and of dropping history.
struct PostgresPartitionDay: Hashable, Comparable, Sendable {
    /// Milliseconds in a day.
    static let length: Int64 = 86_400_000

    /// The day's start (UTC midnight) in milliseconds since 1970.
    let start: Int64

    /// The day containing `milliseconds` since 1970.
    init(containing milliseconds: Int64) {
        start = milliseconds - ((milliseconds % Self.length) + Self.length) % Self.length
    }

    /// The day containing `date`.
    init(containing date: Date) {
        self.init(containing: date.millisecondsSince1970)
    }

    /// The day after this one.
    var next: PostgresPartitionDay { PostgresPartitionDay(containing: start + Self.length) }

    /// The day `count` days later (earlier when negative).
    func adding(days count: Int) -> PostgresPartitionDay { PostgresPartitionDay(containing: start + Int64(count) * Self.length) }

    /// `yyyymmdd`, as partition names carry it.
    var label: String {
        let parts = Calendar.utc.dateComponents([.year, .month, .day], from: Date(millisecondsSince1970: start))
        return String(format: "%04d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The day a `yyyymmdd` label names, if it is one.
    init?(label: String) {
        guard label.count == 8, label.allSatisfy(\.isASCII), let value = Int(label) else { return nil }
        let components = DateComponents(year: value / 10_000, month: value / 100 % 100, day: value % 100)
        guard let date = Calendar.utc.date(from: components) else { return nil }
        self.init(containing: date)
        guard self.label == label else { return nil }
    }

    /// The days from `first` through `last` (none when `last` is earlier).
    static func days(from first: PostgresPartitionDay, through last: PostgresPartitionDay) -> [PostgresPartitionDay] {
        guard first <= last else { return [] }
        return (0...Int((last.start - first.start) / length)).map { first.adding(days: $0) }
    }

    /// Orders days by time.
    static func < (lhs: Self, rhs: Self) -> Bool { lhs.start < rhs.start }
}

/// A partition of a `PostgresPartitionedTable`, read back from its name.
struct PostgresPartition: Hashable, Sendable {
    /// What the partition holds.
    enum Range: Hashable, Sendable {
        /// The ids of one day.
        case day(PostgresPartitionDay)
        /// Every id older than the start of this day (the table as it was before partitioning).
        case upTo(PostgresPartitionDay)
        /// Every id no other partition covers.
        case fallback
    }

    /// The partitioned table.
    let table: PostgresPartitionedTable
    /// Its range.
    let range: Range

    /// The partition's table name.
    var name: String {
        switch range {
        case .day(let day): "\(table.rawValue)_d\(day.label)"
        case .upTo(let day): "\(table.rawValue)_upto_\(day.label)"
        case .fallback: table.defaultPartition
        }
    }

    /// The start of the day after the partition's last id (`nil` for the default partition): it is wholly expired
    /// once this is at or before the retention cutoff.
    var end: PostgresPartitionDay? {
        switch range {
        case .day(let day): day.next
        case .upTo(let day): day
        case .fallback: nil
        }
    }

    /// The `FOR VALUES` clause that attaches or creates it.
    var bounds: String {
        switch range {
        case .day(let day): "FOR VALUES FROM ('\(table.bound(day))') TO ('\(table.bound(day.next))')"
        case .upTo(let day): "FOR VALUES FROM (MINVALUE) TO ('\(table.bound(day))')"
        case .fallback: "DEFAULT"
        }
    }

    /// The lowest id it may hold (`""` below every id), for range conditions on other tables' id columns.
    var lowerId: String {
        if case .day(let day) = range { return table.bound(day) }
        return ""
    }

    /// Creates a partition description.
    init(table: PostgresPartitionedTable, range: Range) {
        self.table = table
        self.range = range
    }

    /// The partition a table name describes, if it is one of `table`'s.
    init?(table: PostgresPartitionedTable, name: String) {
        self.table = table
        if name == table.defaultPartition {
            range = .fallback
        } else if let label = name.dropPrefix(table.rawValue + "_d"), let day = PostgresPartitionDay(label: label) {
            range = .day(day)
        } else if let label = name.dropPrefix(table.rawValue + "_upto_"), let day = PostgresPartitionDay(label: label) {
            range = .upTo(day)
        } else {
            return nil
        }
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC, in which partition days are counted.
    fileprivate static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

extension String {
    /// The rest of the string after `prefix`, or `nil` when it does not start with it.
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
