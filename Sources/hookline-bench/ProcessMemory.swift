import Foundation

/// A process's memory as Linux reports it in `/proc/PID/status`.
struct ProcessMemory: Codable, Sendable {
    /// Resident set size now (`VmRSS`), KiB.
    var rssKib: Int
    /// Peak resident set size (`VmHWM`), KiB.
    var peakRssKib: Int

    /// Reads the figures for `pid`; nil when the process is gone or `/proc` is unavailable.
    static func read(pid: Int32) -> ProcessMemory? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var fields: [Substring: Int] = [:]
        for line in status.split(separator: "\n") where line.hasPrefix("Vm") {
            // "VmRSS:	   12345 kB"
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            if parts.count >= 2, let kib = Int(parts[1]) { fields[parts[0]] = kib }
        }
        guard let resident = fields["VmRSS"] else { return nil }
        return ProcessMemory(rssKib: resident, peakRssKib: fields["VmHWM"] ?? resident)
    }
}
