import Foundation

/// The CPU time a PostgreSQL server on this machine has used, from `/proc`: the postmaster's own, every live child's
/// (backends, the WAL writer, autovacuum workers…) and, through the postmaster's `cutime`/`cstime`, every child it
/// has reaped — so backends that came and went between two samples are counted too.
enum PostgresServerCPU {
    /// The postmaster of the backend `pid` (its parent process), when that process is visible here.
    static func postmaster(ofBackend pid: Int32) -> Int32? {
        guard let fields = statFields(pid), fields.count > 1, let parent = Int32(fields[1]), parent > 1 else { return nil }
        return parent
    }

    /// The server's CPU time so far, in seconds; `nil` when the postmaster is not visible.
    static func seconds(postmaster: Int32) -> Double? {
        guard let own = statFields(postmaster), own.count > 14, let reaped = ticks(own, 13, 14), let mine = ticks(own, 11, 12)
        else { return nil }
        var total = reaped + mine
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), pid != postmaster, let fields = statFields(pid), fields.count > 12,
                Int32(fields[1]) == postmaster, let live = ticks(fields, 11, 12)
            else { continue }
            total += live
        }
        return total / ticksPerSecond
    }

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The fields of `/proc/PID/stat` after "pid (comm)": the state first (field 3), the parent (4), … utime and
    /// stime (14, 15), cutime and cstime (16, 17).
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let commandEnd = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: commandEnd)...].split(separator: " ")
    }

    private static func ticks(_ fields: [Substring], _ first: Int, _ second: Int) -> Double? {
        guard let a = Double(fields[first]), let b = Double(fields[second]) else { return nil }
        return a + b
    }
}
