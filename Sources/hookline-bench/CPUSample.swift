import Foundation

/// CPU time (user + system) used so far by a server and by the bench itself, from `/proc/PID/stat`;
/// or, as the difference of two samples, the CPU a phase cost.
///
/// CPU per request is a figure the load generator's own cost and the machine's other tenants disturb
/// far less than throughput does.
struct CPUSample: Sendable {
    /// The server's CPU time, when its process is known.
    var server: Duration?
    /// The bench's CPU time (load generation and the receiver).
    var bench: Duration?

    /// Reads both now.
    static func take(serverPID: Int32?) -> CPUSample {
        CPUSample(server: serverPID.flatMap { read(path: "/proc/\($0)/stat") }, bench: read(path: "/proc/self/stat"))
    }

    /// The CPU used between this sample and `later`.
    func spent(until later: CPUSample) -> CPUSample {
        func difference(_ start: Duration?, _ end: Duration?) -> Duration? {
            guard let start, let end else { return nil }
            return end - start
        }
        return CPUSample(server: difference(server, later.server), bench: difference(bench, later.bench))
    }

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    private static func read(path: String) -> Duration? {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
            let commandEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)" come the state (field 3) … utime and stime (fields 14 and 15).
        let fields = stat[stat.index(after: commandEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return .seconds((user + system) / ticksPerSecond)
    }
}
