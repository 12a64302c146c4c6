import Foundation
import Histogram

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times `fsync` after appending 1 KiB to a file, in the directory Hookline keeps its data in.
///
/// Hookline's 202 waits for exactly this kind of sync, so it bounds durable ingest: print it next to
/// the results, because the disk on shared machines sometimes slows down a lot.
struct DiskSyncProbe: Sendable {
    /// Where the scratch file goes (same filesystem as the data).
    var directory: URL
    /// Number of write + fsync rounds.
    var count: Int
    /// Time limit for all rounds.
    var timeLimit: Duration = .seconds(10)

    /// What the probe measured.
    struct Result: Codable, Sendable {
        /// Syncs completed.
        var syncs: Int
        /// Latency of each write + fsync.
        var latency: LatencySummary
        /// Syncs per second, back to back.
        var syncsPerSecond: Double
    }

    /// Runs the probe on a thread of its own: blocking syscalls stay off the concurrency pool.
    func run() async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try measure() })
            }
        }
    }

    private func measure() throws -> Result {
        let path = directory.appendingPathComponent("fsync-probe-\(UInt32.random(in: .min ... .max)).tmp").path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BenchError.io("cannot create \(path): errno \(errno)") }
        defer {
            close(fd)
            unlink(path)
        }

        let block = [UInt8](repeating: 0x2A, count: 1024)
        let clock = ContinuousClock()
        var latency = Histogram<UInt64>.latency()
        let started = clock.now
        let deadline = started + timeLimit
        var syncs = 0
        while syncs < count, clock.now < deadline {
            let start = clock.now
            let written = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == block.count, fsync(fd) == 0 else {
                throw BenchError.io("write/fsync failed in \(directory.path): errno \(errno)")
            }
            latency.record(start.duration(to: clock.now))
            syncs += 1
        }
        let seconds = started.duration(to: clock.now).inSeconds
        return Result(syncs: syncs, latency: LatencySummary(latency), syncsPerSecond: seconds > 0 ? Double(syncs) / seconds : 0)
    }
}
