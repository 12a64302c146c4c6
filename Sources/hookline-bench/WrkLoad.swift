import Foundation

/// One `wrk` run against a message-create URL with ``WrkScript``: flat out, paced, or until each
/// thread has its quota of 2xx answers.
///
/// wrk's output and the ids files go to `directory`, named after `name`. wrk itself only stops after
/// its duration, so a run with a quota interrupts it (SIGINT, which makes it report) once every thread
/// has touched its `.done` file.
struct WrkLoad: Sendable {
    /// The wrk binary.
    var executable: String
    /// The script ``WrkScript/write(into:)`` wrote.
    var script: String
    /// Where each run's files go.
    var directory: URL
    /// Threads (`-t`).
    var threads: Int
    /// Connections (`-c`), shared among the threads.
    var connections: Int
    /// Every run sends an idempotency key unique to each request, as the Svix SDKs do.
    var idempotencyKeys = false

    /// The knobs of one run.
    struct Run: Sendable {
        /// A file-name-safe label, e.g. `ingest-hookline`.
        var name: String
        /// The message-create URL.
        var url: String
        /// Sent as `Authorization: Bearer`.
        var apiKey: String
        /// Time limit.
        var duration: Duration
        /// 2xx answers per thread after which the run stops (0: none).
        var quotaPerThread = 0
        /// Requests per second per thread (0: flat out).
        var ratePerThread = 0.0
        /// Carry the send time in `eventId` and write it next to each id.
        var stamp = false
        /// Every message's `deliverAt`, ISO 8601.
        var deliverAt: String?
        /// Collect the ids of 2xx answers.
        var collectIDs = true
        /// Send an idempotency key unique to each request, as the Svix SDKs do.
        var idempotencyKeys = false
    }

    /// What a run produced: wrk's figures, and the ids (with send times when stamped) of its 2xx answers.
    struct Outcome: Sendable {
        /// wrk's figures.
        var result: WrkResult
        /// Wall-clock start and end of the run, seconds since the epoch.
        var started: Double
        /// See `started`.
        var finished: Double
        /// Each acknowledged id, with its send time in µs since the epoch when stamped.
        var acknowledged: [AcknowledgedID]
    }

    /// Runs wrk and waits for it; throws when it cannot start or prints no result line.
    func run(_ run: Run) async throws -> Outcome {
        let prefix = directory.appendingPathComponent(run.name).path
        let outputPath = prefix + ".out"
        let errorPath = prefix + ".err"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let seconds = max(1, Int(run.duration.inSeconds.rounded(.up)))
        process.arguments = [
            "-t", String(threads), "-c", String(connections), "-d", "\(seconds)s", "--timeout", "10s",
            "-s", script,
            "-H", "Authorization: Bearer \(run.apiKey)", "-H", "content-type: application/json",
            run.url, "--",
            prefix, String(run.quotaPerThread), String(run.ratePerThread),
            run.stamp ? "1" : "0", run.deliverAt ?? "-", run.collectIDs ? "1" : "0", run.idempotencyKeys || idempotencyKeys ? "1" : "0",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        process.standardInput = FileHandle.nullDevice

        let started = Date().timeIntervalSince1970
        do {
            try await ServerProcess.start(process)
        } catch {
            throw BenchError.tool("wrk", "cannot run \(executable): \(error)")
        }
        await wait(for: process, run: run, prefix: prefix, limit: .seconds(seconds + 15))
        let finished = Date().timeIntervalSince1970

        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard let result = WrkResult(output: output) else {
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw BenchError.tool("wrk", "no result line (\(process.terminationStatus)): \((errors + output).suffix(400))")
        }
        let acknowledged = run.collectIDs ? try AcknowledgedID.read(prefix: prefix, threads: threads) : []
        return Outcome(result: result, started: started, finished: finished, acknowledged: acknowledged)
    }

    /// Polls until wrk exits: interrupts it once every thread met its quota, kills it past `limit`.
    private func wait(for process: Process, run: Run, prefix: String, limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        var interrupted = false
        while process.isRunning {
            if !interrupted, run.quotaPerThread > 0,
                (0..<threads).allSatisfy({ FileManager.default.fileExists(atPath: "\(prefix)-\($0).done") })
            {
                process.interrupt()
                interrupted = true
            }
            if ContinuousClock.now > deadline {
                process.terminate()
                kill(process.processIdentifier, SIGKILL)
                break
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
    }
}
