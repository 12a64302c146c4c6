import Foundation
import HooklineCore
import HooklineTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The SQLite data directory turns read-only while the node runs, as ext4 does (`errors=remount-ro`) after an
/// I/O error: writes answer 503 with a reason, never a false 202; once the filesystem is repaired and the node
/// restarted, everything acknowledged is there and delivered.
///
/// `chmod` cannot make the directory read-only for this: root (tests may run as root) ignores it, and no one's
/// open files notice it (SQLite keeps its database and WAL open). So the data directory is a small ext4 image
/// loop-mounted in a private mount namespace of the node (`unshare -m`, gone with the node), and the kernel's
/// `trigger_fs_error` turns it read-only under the node's open files. That needs root, loop devices and
/// `mkfs.ext4`; without them the suite is disabled with that reason shown.
@Suite(
    .serialized,
    .enabled(if: ReadOnlyFilesystem.available, "needs root, /dev/loop-control, unshare and mkfs.ext4 to turn a mounted data directory read-only"))
struct ReadOnlyDataDirectoryTests {
    @Test func readOnlyDataDirectoryAnswers503NeverAFalse202AndRecoversAfterRepair() async throws {
        let directory = try TemporaryDirectory()
        let image = directory.path + "/data.img"
        let data = directory.path + "/data"
        try await ReadOnlyFilesystem.makeImage(image, mountpoint: data)
        let launcher = ReadOnlyFilesystem.launcher(image: image, mountpoint: data)
        let arguments = DurabilityTests.arguments + ["--data-dir", data]
        try await RecordingReceiver.with { receiver, receiverURL in
            let first = try HooklineProcess(arguments: arguments, launcher: launcher)
            let firstAPI = APIClient(baseURL: try await first.baseURL())
            let appId = try #require(try await firstAPI.call("POST", "/api/v1/app", json: ["name": "ReadOnly"]).json["id"] as? String)
            #expect(try await firstAPI.call("POST", "/api/v1/app/\(appId)/endpoint", json: ["url": receiverURL + "/hook"]).status == 201)
            var acknowledged = await ClusterTests.send(20, to: [firstAPI], appId: appId)
            #expect(acknowledged.count == 20)

            try await ReadOnlyFilesystem.fail(image: image)
            var answers: [(status: Int, code: String?, message: String?)] = []
            for index in 0..<10 {
                let reply = try await firstAPI.call(
                    "POST", "/api/v1/app/\(appId)/msg", json: ["eventType": "readonly", "payload": ["n": 100 + index]])
                answers.append((reply.status, reply.json["code"] as? String, reply.json["detail"] as? String))
                if reply.status == 202, let id = reply.json["id"] as? String { acknowledged.insert(id) }
            }
            let refused = answers.filter { $0.status != 202 }
            #expect(refused.count == answers.count, "every write on the read-only directory is refused: \(answers.map(\.status))")
            for answer in refused {
                #expect(answer.status == 503 && answer.code == "service_unavailable", "503 service_unavailable: \(answer)")
                #expect(answer.message?.contains("cannot accept writes") == true, "with its reason: \(answer)")
            }
            let ready = try await firstAPI.call("GET", "/api/v1/health/ready")
            #expect(ready.status == 503, "the node is not ready while its data directory is read-only")
            #expect(String(decoding: ready.body, as: UTF8.self).lowercased().contains("read-only"), "readiness says why")
            _ = await first.terminate(SIGKILL)

            // The operator repairs the filesystem and restarts the node, which mounts it read-write again.
            try await ReadOnlyFilesystem.repair(image: image)
            let second = try HooklineProcess(arguments: arguments, launcher: launcher)
            let api = APIClient(baseURL: try await second.baseURL())
            let after = await ClusterTests.send(5, to: [api], appId: appId)
            #expect(after.count == 5, "ingest recovers once the directory is writable again")
            let expected = acknowledged.union(after)
            let delivered = await Deadline.wait(timeout: .seconds(30), signal: receiver.arrivals) {
                Set(receiver.received.compactMap { $0.headers["webhook-id"] }).isSuperset(of: expected)
            }
            #expect(
                delivered,
                "every acknowledged message is delivered: \(expected.subtracting(receiver.received.compactMap { $0.headers["webhook-id"] }).count) missing"
            )
            for id in acknowledged {
                #expect(try await api.call("GET", "/api/v1/app/\(appId)/msg/\(id)").status == 200, "acknowledged \(id) is stored")
            }
            print(
                "read-only data directory: \(refused.count) of \(answers.count) writes refused (\(refused.first.map { "\($0.status) \($0.message ?? "")" } ?? "none")); readiness \(String(decoding: ready.body, as: UTF8.self))"
            )
            #expect(await second.terminate(SIGTERM) == 0)
        }
    }
}

/// An ext4 image mounted as a node's data directory, which the kernel can be told to turn read-only.
enum ReadOnlyFilesystem {
    static let mkfs = ["/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let fsck = ["/usr/sbin/e2fsck", "/sbin/e2fsck"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether this machine can run the test: root, loop devices, `unshare`, `losetup`, the ext4 tools and sysfs.
    static var available: Bool {
        getuid() == 0 && mkfs != nil && fsck != nil && FileManager.default.fileExists(atPath: "/dev/loop-control")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") && FileManager.default.fileExists(atPath: "/sys/fs/ext4")
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/losetup")
    }

    /// Creates a 512 MB (sparse; above the default min-free-disk) ext4 image and an empty mount point.
    static func makeImage(_ image: String, mountpoint: String) async throws {
        try FileManager.default.createDirectory(atPath: mountpoint, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: image, contents: nil), let handle = FileHandle(forWritingAtPath: image) else {
            throw ConformanceFailure(description: "cannot create \(image)")
        }
        try handle.truncate(atOffset: 512 << 20)
        try handle.close()
        _ = try await output([mkfs!, "-q", "-F", image])
    }

    /// A launcher for `HooklineProcess` that mounts `image` at `mountpoint` in a mount namespace of its own
    /// (`errors=remount-ro`, as production ext4 mounts often are), then execs Hookline. The loop device is a fresh
    /// one (a previous node's may still be running down) and detaches itself once the namespace is gone.
    static func launcher(image: String, mountpoint: String) -> [String] {
        let script = #"dev=$(losetup -f --show "$0") && mount -o errors=remount-ro "$dev" "$1" && losetup -d "$dev" && shift && exec "$@""#
        return ["/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script, image, mountpoint]
    }

    /// Raises a filesystem error on the mounted image: the kernel turns it read-only under every open file.
    static func fail(image: String) async throws {
        let listing = try await output(["/usr/sbin/losetup", "-j", image])
        guard let device = listing.split(separator: ":").first.map({ ($0 as Substring).split(separator: "/").last.map(String.init) ?? "" }),
            !device.isEmpty
        else { throw ConformanceFailure(description: "no loop device backs \(image): \(listing)") }
        try Data("hookline fault test".utf8).write(to: URL(fileURLWithPath: "/sys/fs/ext4/\(device)/trigger_fs_error"))
    }

    /// Checks and repairs the image (unmounted), as an operator would before mounting it again.
    static func repair(image: String) async throws {
        // e2fsck exits 1 when it corrected errors (here: it clears the recorded error), 0 when none were found.
        _ = try await output([fsck!, "-f", "-y", image], accepting: [0, 1])
    }

    /// Runs `arguments` to completion; returns standard output; throws unless its status is in `accepting`.
    @discardableResult
    static func output(_ arguments: [String], accepting: Set<Int32> = [0]) async throws -> String {
        let result = try await ChildProcess.run(arguments[0], Array(arguments.dropFirst()), mergeErrors: false)
        guard accepting.contains(result.status) else {
            throw ConformanceFailure(description: "\(arguments.joined(separator: " ")) exited with \(result.status)")
        }
        return result.output
    }
}
