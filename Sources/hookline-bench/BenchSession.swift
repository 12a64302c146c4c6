import AsyncHTTPClient
import Foundation

/// One benchmark run from start to finish: a work directory, the disk probe, the Swift receiver,
/// Hookline, the Hummingbird responder and nginx; then the phases; then everything stopped again,
/// whatever happened, and the final exactly-once audit over nginx's complete log.
struct BenchSession: Sendable {
    /// What to run.
    let plan: BenchPlan
    /// The bearer token of a `.running` target.
    let targetAPIKey: String?
    /// The `postgres://` URL of the database a launched node runs on; SQLite in its data directory when nil.
    var database: String? = nil

    /// Runs the benchmark and returns its report; throws only when it cannot start.
    func run() async throws -> BenchReport {
        var report = BenchReport(plan: plan)
        let workDirectory = URL(fileURLWithPath: plan.workDirectory)
            .appendingPathComponent("hookline-bench-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        defer {
            if plan.keepData {
                Console.progress("kept \(workDirectory.path)")
            } else {
                try? FileManager.default.removeItem(at: workDirectory)
            }
        }

        for (name, path) in [("wrk", plan.wrk), ("nginx", plan.nginx)] where !FileManager.default.isExecutableFile(atPath: path) {
            throw BenchError.startFailed(name, "\(path) is missing (Debian: apt-get install \(name == "wrk" ? "wrk" : "nginx-light"))")
        }
        Console.progress("disk sync probe in \(workDirectory.path)")
        report.diskSync.before = await probeDisk(in: workDirectory)

        let receiver = try await Receiver.start()
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        var launched: [ServerProcess] = []
        var nginx: NginxServer?
        var context: PhaseContext?
        do {
            let (sample, ledger) = try await startHookline(
                client: client,
                receiver: receiver,
                dataDirectory: workDirectory,
                launched: &launched,
                report: &report
            )
            let baseline = plan.baseline ? try await startBaseline(client: client, launched: &launched) : nil
            Console.progress("starting nginx")
            let server = try await NginxServer.start(executable: plan.nginx, directory: workDirectory)
            nginx = server
            let wrk = WrkLoad(
                executable: plan.wrk,
                script: try WrkScript.write(into: workDirectory),
                directory: workDirectory,
                threads: plan.threads,
                connections: plan.connections
            )
            let phaseContext = PhaseContext(
                plan: plan,
                hookline: sample.api,
                hooklinePID: sample.pid,
                nginx: server,
                baseline: baseline.flatMap { target in target.pid.map { (url: target.api.baseURL, pid: $0) } },
                wrk: wrk
            )
            context = phaseContext
            await PhaseRunner(context: phaseContext, sampleTarget: sample, ledger: ledger, receiver: receiver).run(into: &report)
        } catch {
            await stop(launched, nginx: nginx, client: client, receiver: receiver, report: &report)
            throw error
        }
        await stop(launched, nginx: nginx, client: client, receiver: receiver, report: &report)
        if let context {
            // nginx flushed its log on the way out: audit once more with every line.
            context.arrivals.refresh()
            let audit = ExactlyOnceAudit(expected: context.expected, arrivals: context.arrivals, waitedSeconds: report.audit?.waitedSeconds ?? 0)
            report.audit = audit
            if audit.lost > 0 { report.problems.append("\(audit.lost) acknowledged messages never reached nginx") }
            if audit.duplicates > 0 { report.problems.append("\(audit.duplicates) duplicate deliveries to nginx") }
            if audit.acknowledged == 0 { report.problems.append("no message was acknowledged for delivery to nginx") }
        }

        Console.progress("disk sync probe, again")
        report.diskSync.after = await probeDisk(in: workDirectory)
        return report
    }

    private var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            // Loopback connects are instant; what this bounds is the wait for a pooled connection, which
            // in the inbound probe is queueing the latency should show, not an error.
            timeout: .init(connect: .seconds(Int64(plan.requestTimeoutSeconds))),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: plan.connections)
        )
        configuration.httpVersion = .http1Only
        return configuration
    }

    private func startHookline(
        client: HTTPClient,
        receiver: Receiver,
        dataDirectory: URL,
        launched: inout [ServerProcess],
        report: inout BenchReport
    ) async throws -> (BenchTarget, MessageLedger) {
        let api: HooklineAPI
        let pid: Int32?
        switch plan.target {
        case let .running(url, targetPID):
            Console.progress("using the server at \(url)")
            api = HooklineAPI(
                baseURL: url,
                apiKey: targetAPIKey ?? "",
                client: client,
                requestTimeout: .seconds(plan.requestTimeoutSeconds)
            )
            pid = targetPID
            guard await api.waitUntilHealthy(timeout: .seconds(10)) else {
                throw BenchError.startFailed("target", "GET \(url)/api/v1/health did not answer 200")
            }
        case let .launch(executable, extraArguments):
            Console.progress("starting \(executable)")
            let apiKey = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let started = ContinuousClock.now
            let process = try await ServerProcess.launch(
                name: "hookline",
                executable: URL(fileURLWithPath: executable),
                arguments: [
                    "serve", "--host", "127.0.0.1", "--port", "0",
                    "--data-dir", dataDirectory.appendingPathComponent("data").path,
                    "--api-key", apiKey,
                    "--allow-network", "127.0.0.0/8",
                    "--retry-schedule", "100ms,1s",
                    "--log-level", "warning",
                ] + (database.map { ["--database", $0] } ?? []) + extraArguments
            )
            launched.append(process)
            api = HooklineAPI(
                baseURL: process.baseURL,
                apiKey: apiKey,
                client: client,
                requestTimeout: .seconds(plan.requestTimeoutSeconds)
            )
            pid = process.pid
            guard await api.waitUntilHealthy(timeout: .seconds(30)) else {
                throw BenchError.startFailed("hookline", "GET \(process.baseURL)/api/v1/health did not answer 200 within 30 s")
            }
            report.startup.hooklineReadyMs = started.duration(to: .now).inSeconds * 1000
        }
        let applicationID = try await api.createApplication(name: "hookline-bench")
        _ = try await api.createEndpoint(applicationID: applicationID, url: receiver.url)
        let ledger = MessageLedger()
        let target = BenchTarget(name: "hookline", api: api, applicationID: applicationID, pid: pid, ledger: ledger)
        return (target, ledger)
    }

    private func startBaseline(client: HTTPClient, launched: inout [ServerProcess]) async throws -> BenchTarget {
        Console.progress("starting the baseline server")
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = try await ServerProcess.launch(
            name: "baseline",
            executable: URL(fileURLWithPath: executable),
            arguments: ["baseline-server", "--host", "127.0.0.1", "--port", "0"]
        )
        launched.append(process)
        let api = HooklineAPI(
            baseURL: process.baseURL,
            apiKey: "baseline",
            client: client,
            requestTimeout: .seconds(plan.requestTimeoutSeconds)
        )
        guard await api.waitUntilHealthy(timeout: .seconds(10)) else {
            throw BenchError.startFailed("baseline", "health route did not answer 200")
        }
        let applicationID = try await api.createApplication(name: "hookline-bench")
        return BenchTarget(name: "baseline", api: api, applicationID: applicationID, pid: process.pid, ledger: nil)
    }

    private func stop(
        _ processes: [ServerProcess],
        nginx: NginxServer?,
        client: HTTPClient,
        receiver: Receiver,
        report: inout BenchReport
    ) async {
        for process in processes.reversed() {
            Console.progress("stopping \(process.name) (SIGTERM)")
            let termination = await process.terminate(grace: .seconds(15))
            guard process.name == "hookline" else { continue }
            report.hooklineExit = termination.description
            if !termination.isClean {
                report.problems.append("hookline did not exit cleanly after SIGTERM: \(termination)")
            }
        }
        if let nginx {
            Console.progress("stopping nginx")
            await nginx.stop()
        }
        try? await client.shutdown()
        await receiver.stop()
    }

    private func probeDisk(in directory: URL) async -> DiskSyncProbe.Result? {
        do {
            return try await DiskSyncProbe(directory: directory, count: plan.fsyncCount).run()
        } catch {
            Console.progress("disk sync probe failed: \(error)")
            return nil
        }
    }
}
