import Foundation

/// The near-free HTTP peer of the bench: one nginx process (`daemon off`, `master_process off`, one
/// worker) on a free 127.0.0.1 port with its own prefix and configuration in the work directory.
///
/// - `/webhook` is the delivery receiver: it answers 200 and logs `$msec $http_webhook_id` (arrival
///   time, ms resolution, and the message id) to ``arrivalLogPath``, buffered and flushed every 200 ms.
/// - Every other path answers 202 with a small JSON body: the reference for ingest.
final class NginxServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    /// Where deliveries are logged.
    let arrivalLogPath: String
    /// The nginx process (it does all the work: there is no master).
    let pid: Int32

    private let process: Process

    private init(baseURL: String, arrivalLogPath: String, process: Process) {
        self.baseURL = baseURL
        self.arrivalLogPath = arrivalLogPath
        self.process = process
        self.pid = process.processIdentifier
    }

    /// Where Hookline should deliver.
    var webhookURL: String { baseURL + "/webhook" }

    /// Writes the configuration under `directory/nginx`, starts nginx and waits until it answers.
    static func start(executable: String, directory: URL) async throws -> NginxServer {
        let prefix = directory.appendingPathComponent("nginx")
        for folder in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            try FileManager.default.createDirectory(at: prefix.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let port = try FreePort.pick()
        let arrivals = prefix.appendingPathComponent("arrivals.log").path
        _ = FileManager.default.createFile(atPath: arrivals, contents: nil)
        let configuration = prefix.appendingPathComponent("nginx.conf")
        try Data(configurationText(prefix: prefix.path, port: port, arrivals: arrivals).utf8).write(to: configuration)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-p", prefix.path, "-c", configuration.path]
        process.standardOutput = FileHandle.nullDevice
        let errors = prefix.appendingPathComponent("stderr.log").path
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errors)
        process.standardInput = FileHandle.nullDevice
        do {
            try await ServerProcess.start(process)
        } catch {
            throw BenchError.startFailed("nginx", "cannot run \(executable): \(error)")
        }
        let server = NginxServer(baseURL: "http://127.0.0.1:\(port)", arrivalLogPath: arrivals, process: process)
        let deadline = ContinuousClock.now + .seconds(10)
        while !FreePort.accepts(port: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                await server.stop()
                let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                throw BenchError.startFailed("nginx", "not listening on \(port): \(text.suffix(300))")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return server
    }

    /// Stops nginx gracefully (SIGQUIT flushes the access log), then kills it after 5 s.
    func stop() async {
        guard process.isRunning else { return }
        kill(pid, SIGQUIT)
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    private static func configurationText(prefix: String, port: Int, arrivals: String) -> String {
        """
        daemon off;
        master_process off;
        worker_processes 1;
        pid \(prefix)/nginx.pid;
        error_log \(prefix)/error.log warn;
        events { worker_connections 8192; }
        http {
          access_log off;
          client_body_temp_path \(prefix)/body;
          proxy_temp_path \(prefix)/proxy;
          fastcgi_temp_path \(prefix)/fastcgi;
          uwsgi_temp_path \(prefix)/uwsgi;
          scgi_temp_path \(prefix)/scgi;
          log_format fmt '$msec $http_webhook_id';
          keepalive_requests 100000000;
          keepalive_timeout 300s;
          client_body_buffer_size 64k;
          client_max_body_size 1m;
          server {
            listen 127.0.0.1:\(port) backlog=4096;
            location /webhook {
              access_log \(arrivals) fmt buffer=64k flush=200ms;
              return 200;
            }
            location / {
              default_type application/json;
              return 202 '{"id":"msg_nginx","eventType":"bench.event"}';
            }
          }
        }
        """
    }
}
