import Foundation

/// A Linux control group that caps the processes put in it at a share of the CPU, so nodes on one box can stand in
/// for nodes on machines of their own: each gets the same slice, and a second node adds a slice instead of taking
/// half of the first one's.
///
/// It uses the cgroup v2 `cpu.max` where the unified hierarchy has the `cpu` controller, else the v1 `cpu`
/// hierarchy's CFS quota; it needs write access to it (root, or a delegated group). The group is removed by
/// `remove()` once its processes have exited.
struct CPUQuota {
    /// The CFS period: short, so a capped node is paused for at most a few milliseconds at a time.
    static let period = 10_000

    /// The group's folder.
    let directory: URL
    /// The file a process id is written to, to move the process (all its threads) into the group.
    private let procs: URL

    /// Creates the group `name` capped at `cpus` cores (0.4: 40% of one core), or says why it cannot.
    static func create(name: String, cpus: Double) throws -> CPUQuota {
        guard cpus > 0 else { throw BenchError.io("--node-cpus must be above 0 (got \(cpus))") }
        let quota = max(1_000, Int((Double(period) * cpus).rounded()))
        let fileManager = FileManager.default
        let unified = ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"].first { root in
            ((try? String(contentsOfFile: root + "/cgroup.controllers", encoding: .utf8)) ?? "").split(separator: " ").contains {
                $0.trimmingCharacters(in: .whitespacesAndNewlines) == "cpu"
            }
        }
        do {
            if let root = unified {
                // v2: the parent must hand the cpu controller down to its children.
                try? Data("+cpu".utf8).write(to: URL(fileURLWithPath: root + "/cgroup.subtree_control"))
                let directory = URL(fileURLWithPath: root).appendingPathComponent(name)
                try fileManager.createDirectory(at: directory, withIntermediateDirectories: false)
                try Data("\(quota) \(period)".utf8).write(to: directory.appendingPathComponent("cpu.max"))
                return CPUQuota(directory: directory, procs: directory.appendingPathComponent("cgroup.procs"))
            }
            let v1 = URL(fileURLWithPath: "/sys/fs/cgroup/cpu")
            guard fileManager.fileExists(atPath: v1.appendingPathComponent("cpu.cfs_quota_us").path) else {
                throw BenchError.io("--node-cpus needs a cpu cgroup controller (/sys/fs/cgroup); this system has none")
            }
            let directory = v1.appendingPathComponent(name)
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: false)
            try Data("\(period)".utf8).write(to: directory.appendingPathComponent("cpu.cfs_period_us"))
            try Data("\(quota)".utf8).write(to: directory.appendingPathComponent("cpu.cfs_quota_us"))
            return CPUQuota(directory: directory, procs: directory.appendingPathComponent("cgroup.procs"))
        } catch let error as BenchError {
            throw error
        } catch {
            throw BenchError.io("--node-cpus: cannot create a CPU-capped cgroup (\(error.localizedDescription)); run as root")
        }
    }

    /// Moves process `pid` (with its threads) into the group.
    func add(pid: Int32) throws {
        try Data("\(pid)".utf8).write(to: procs)
    }

    /// Removes the group (its processes must have exited or moved).
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
