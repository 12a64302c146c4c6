import Foundation

/// What the wrk-driven phases share: the servers, the load generator, the delivery log, and the
/// running account of what Hookline acknowledged.
final class PhaseContext {
    /// Sizes and switches.
    let plan: BenchPlan
    /// Hookline's API (the bench's own client, for setup and small phases).
    let hookline: HooklineAPI
    /// Hookline's process id, for CPU and memory.
    let hooklinePID: Int32?
    /// nginx: the delivery receiver and the ingest reference.
    let nginx: NginxServer
    /// The Hummingbird responder, unless `--no-baseline`.
    let baseline: (url: String, pid: Int32)?
    /// Runs wrk.
    let wrk: WrkLoad
    /// nginx's delivery log.
    let arrivals: ArrivalLog

    /// Ids acknowledged for apps whose endpoint is nginx: each must arrive exactly once.
    private(set) var expected: [String] = []
    /// Messages Hookline acknowledged so far, all phases.
    private(set) var hooklineMessages = 0

    /// Bundles the running servers.
    init(
        plan: BenchPlan,
        hookline: HooklineAPI,
        hooklinePID: Int32?,
        nginx: NginxServer,
        baseline: (url: String, pid: Int32)?,
        wrk: WrkLoad
    ) {
        self.plan = plan
        self.hookline = hookline
        self.hooklinePID = hooklinePID
        self.nginx = nginx
        self.baseline = baseline
        self.wrk = wrk
        self.arrivals = ArrivalLog(path: nginx.arrivalLogPath)
    }

    /// The message-create URL of Hookline's application `applicationID`.
    func messageURL(_ applicationID: String) -> String {
        hookline.baseURL + "/api/v1/app/\(applicationID)/msg"
    }

    /// Counts `count` messages Hookline acknowledged, and adds `delivered` to the exactly-once audit.
    func recordHookline(count: Int, delivered: [String] = []) {
        hooklineMessages += count
        expected.append(contentsOf: delivered)
    }

    /// An application with one endpoint on nginx (or none); returns its id.
    func makeApplication(name: String, deliveringToNginx: Bool) async throws -> String {
        let applicationID = try await hookline.createApplication(name: name)
        if deliveringToNginx {
            _ = try await hookline.createEndpoint(applicationID: applicationID, url: nginx.webhookURL)
        }
        return applicationID
    }

    /// Waits until every id in `ids` has arrived at nginx, or the plan's drain timeout passes.
    ///
    /// - Returns: How long the wait took, and the ids still missing.
    func catchUp(_ ids: [String]) async -> (seconds: Double, missing: Int) {
        let started = ContinuousClock.now
        let missing = await arrivals.waitFor(ids, timeout: .seconds(plan.drainTimeoutSeconds))
        return (started.duration(to: .now).inSeconds, missing.count)
    }

    /// CPU time of a process so far (utime + stime), seconds.
    static func cpuSeconds(of pid: Int32?) -> Double? {
        CPUSample.take(serverPID: pid).server?.inSeconds
    }
}
