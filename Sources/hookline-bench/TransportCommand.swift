import ArgumentParser
import Foundation
import HooklineCore
import HooklineHTTP
import Synchronization

/// `hookline-bench transport`: the delivery client's own cost, without a server around it.
///
/// Sends `--requests` delivery-shaped POSTs (a 1 KiB body and the eight headers the delivery executor
/// sets) with `--concurrency` senders through `HTTPClientTransport` — once with AsyncHTTPClient for
/// `http` URLs, once with the pooled HTTP/1.1 client — and prints requests per second and the CPU
/// time the whole process spent per request. Against nginx (`--nginx PATH` starts one on a free
/// loopback port) the receiver's cost is in another process, so the CPU figure is the client's.
struct TransportCommand: AsyncParsableCommand {
    /// Shown in help as `transport`.
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Measure the delivery transport (AsyncHTTPClient vs the pooled HTTP/1.1 client)."
    )

    /// The receiver; defaults to the started nginx's `/webhook`.
    @Option(help: "Receiver URL (http://127.0.0.1:PORT/...); or use --nginx.")
    var url: String?

    /// An nginx binary to start as the receiver.
    @Option(help: "Start this nginx binary on a free 127.0.0.1 port and deliver to it.")
    var nginx: String?

    /// Requests per measured round.
    @Option(help: "Requests per round.")
    var requests = 50_000

    /// Concurrent senders.
    @Option(help: "Concurrent senders.")
    var concurrency = 32

    /// Which clients to measure.
    @Option(help: "Clients to measure, in order: ahc, pooled (comma-separated).")
    var clients = "ahc,pooled"

    /// Rounds per client (alternating), after one unmeasured warm-up round each.
    @Option(help: "Measured rounds per client, alternating.")
    var rounds = 2

    /// Runs the rounds and prints one line per round plus a summary per client.
    func run() async throws {
        let names = clients.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ $0 == "ahc" || $0 == "pooled" }) else {
            throw ValidationError("--clients takes ahc and/or pooled")
        }
        var server: NginxServer?
        var directory: URL?
        if let nginx {
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("hookline-transport-\(getpid())")
            directory = work
            server = try await NginxServer.start(executable: nginx, directory: work)
        }
        defer { if let directory { try? FileManager.default.removeItem(at: directory) } }
        guard let target = url ?? server?.webhookURL else {
            throw ValidationError("give --url or --nginx")
        }
        print("target \(target)  requests \(requests)  concurrency \(concurrency)")
        var totals: [String: (requests: Int, seconds: Double, cpu: Double)] = [:]
        do {
            for round in 0...rounds {
                for name in names {
                    let result = try await Self.measure(
                        client: name, url: target, requests: round == 0 ? requests / 5 : requests, concurrency: concurrency)
                    let label = round == 0 ? "warm-up" : "round \(round)"
                    print(result.line(client: name, label: label))
                    guard round > 0 else { continue }
                    let total = totals[name] ?? (0, 0, 0)
                    totals[name] = (total.requests + result.requests, total.seconds + result.seconds, total.cpu + result.cpuSeconds)
                }
            }
        } catch {
            await server?.stop()
            throw error
        }
        await server?.stop()
        for name in names {
            guard let total = totals[name] else { continue }
            print(
                Self.pad(name, 7) + Self.pad("total", 9)
                    + String(
                        format: "%9.0f req/s  %7.1f µs CPU/request",
                        Double(total.requests) / total.seconds, total.cpu * 1e6 / Double(total.requests)))
        }
    }

    /// One measured round's figures.
    struct RoundResult {
        /// Requests sent.
        var requests: Int
        /// Requests that did not come back 2xx.
        var failures: Int
        /// The first failure's description, if any.
        var firstFailure: String?
        /// Wall-clock time.
        var seconds: Double
        /// Process CPU time (user + system).
        var cpuSeconds: Double

        /// One printable line.
        func line(client: String, label: String) -> String {
            var text =
                TransportCommand.pad(client, 7) + TransportCommand.pad(label, 9)
                + String(
                    format: "%9.0f req/s  %7.1f µs CPU/request  %d failed",
                    Double(requests) / seconds, cpuSeconds * 1e6 / Double(requests), failures)
            if let firstFailure { text += " (first: \(firstFailure))" }
            return text
        }
    }

    /// Sends `requests` POSTs to `url` through a fresh transport for `client`, then shuts it down.
    static func measure(client: String, url: String, requests: Int, concurrency: Int) async throws -> RoundResult {
        var configuration = HTTPClientTransport.Configuration(networkPolicy: NetworkPolicy(allowed: [IPRange("127.0.0.0/8")!]))
        configuration.usesPooledHTTP1 = client == "pooled"
        let transport = HTTPClientTransport(configuration: configuration)
        let body = Data((#"{"type":"bench.event","data":{"pad":""# + String(repeating: "x", count: 1024 - 40) + #""}}"#).utf8)
        let tally = Tally()
        let cpuBefore = CPUSample.take(serverPID: nil)
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, concurrency) {
                group.addTask {
                    while true {
                        let number = tally.next.add(1, ordering: .relaxed).newValue
                        guard number <= requests else { return }
                        let response = await transport.send(request(url: url, body: body, number: number))
                        if !response.isSuccess {
                            tally.failures.add(1, ordering: .relaxed)
                            tally.firstFailure.withLock { $0 = $0 ?? "\(response.statusCode.map(String.init) ?? "-") \(response.body)" }
                        }
                    }
                }
            }
        }
        let elapsed = started.duration(to: .now)
        let cpu = cpuBefore.spent(until: CPUSample.take(serverPID: nil)).bench ?? .zero
        try await transport.shutdown()
        return RoundResult(
            requests: requests, failures: tally.failures.load(ordering: .relaxed), firstFailure: tally.firstFailure.withLock { $0 },
            seconds: elapsed.inSeconds, cpuSeconds: cpu.inSeconds)
    }

    /// `text` followed by spaces up to `width` characters, plus one.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count)) + " "
    }

    /// The senders' shared counters.
    final class Tally: Sendable {
        /// The last request number taken.
        let next = Atomic<Int>(0)
        /// Requests that did not come back 2xx.
        let failures = Atomic<Int>(0)
        /// The first failure's description.
        let firstFailure = Mutex<String?>(nil)
    }

    /// A delivery-shaped request: the executor's eight headers and `body`.
    static func request(url: String, body: Data, number: Int) -> OutboundRequest {
        let id = "msg_bench\(number)"
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let signature = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="
        return OutboundRequest(
            url: url,
            headers: [
                ("content-type", "application/json"), ("user-agent", "Hookline/bench"), ("webhook-id", id),
                ("webhook-timestamp", timestamp), ("webhook-signature", signature), ("svix-id", id),
                ("svix-timestamp", timestamp), ("svix-signature", signature),
            ],
            body: body, timeout: .seconds(15))
    }
}
