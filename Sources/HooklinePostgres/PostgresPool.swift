import Foundation
import HooklineCore
import Logging
import PostgresNIO
import Synchronization

/// The store's connection pool, replaced by a fresh one as soon as the database accepts connections again
/// after an outage.
///
/// A `PostgresClient` retries connecting with an exponential backoff (100 ms × 1.25ⁿ, up to a minute), so
/// after an outage of 20 s it would wait ~5 s more before trying again. Instead, once an operation reports
/// the database unavailable, `run()` probes it every `probeInterval` with a fresh candidate client (a query
/// within a second); when a candidate answers after one failed, it replaces the pool (new operations use it
/// at once, starting with the connection the probe opened) and the old one is shut down, failing whatever
/// still waits in it; operations still running on it are abandoned (see
/// `PoolRetirement`), so none waits out its operation timeout on a stalled connection of the old client.
package final class PostgresPool: Sendable {
    /// How often an unavailable database is probed; default 200 ms.
    package let probeInterval: Duration
    private let configuration: PostgresClient.Configuration
    private let logger: Logger
    private let current: Mutex<(client: PostgresClient, retirement: PoolRetirement)>
    private let launches: AsyncStream<(PostgresClient, PoolRetirement, PoolRetirement)>
    private let launch: AsyncStream<(PostgresClient, PoolRetirement, PoolRetirement)>.Continuation
    private let unavailable = WakeSignal()
    private let replacements = Atomic<Int>(0)
    /// The store operations' use of the pool, for `/metrics` (the change feed's listening connection and outage probes are not counted).
    package let meter: StorePoolMeter

    /// How long the server lets a session sit idle inside a transaction before it ends the session: Hookline's
    /// transactions send their statements back to back, so only an abandoned operation whose connection stalled
    /// (a black-holed path) idles that long, and its locks must not block the operations after it.
    package static let idleInTransactionTimeout = "5s"

    /// Creates a pool for `url`; nothing connects before `run()`.
    init(url: PostgresURL, logger: Logger, probeInterval: Duration = .milliseconds(200)) {
        var configuration = url.configuration
        configuration.options.additionalStartupParameters.append(("idle_in_transaction_session_timeout", Self.idleInTransactionTimeout))
        self.configuration = configuration
        self.logger = logger
        self.probeInterval = probeInterval
        meter = StorePoolMeter(store: "postgres", role: "connection", maximum: configuration.options.maximumConnections)
        let first = (PostgresClient(configuration: configuration, backgroundLogger: logger), PoolRetirement())
        current = Mutex(first)
        (launches, launch) = AsyncStream.makeStream()
        launch.yield((first.0, first.1, PoolRetirement()))
    }

    /// The client new operations use.
    package var client: PostgresClient { current.withLock { $0.client } }

    /// The client new operations use, with the signal of its replacement.
    var generation: (client: PostgresClient, retirement: PoolRetirement) { current.withLock { $0 } }

    /// How many times the pool was replaced after an outage.
    package var replacementCount: Int { replacements.load(ordering: .relaxed) }

    /// Notes that an operation found the database unavailable, so that `run()` starts probing it.
    func reportUnavailable() { unavailable.signal() }

    /// Runs the current client (and its replacements) and the outage watch until cancelled.
    package func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.watch() }
            for await (client, retirement, started) in launches {
                group.addTask {
                    await withDiscardingTaskGroup { pool in
                        pool.addTask {
                            started.retire()  // `run()` marks the client running before its first suspension
                            await client.run()
                        }
                        await retirement.wait()
                        pool.cancelAll()
                    }
                }
            }
            group.cancelAll()
        }
    }

    /// Waits for outages and replaces the client once the database answers again.
    private func watch() async {
        while !Task.isCancelled {
            await unavailable.wait()
            var failed = false
            while !Task.isCancelled {
                let candidate = (PostgresClient(configuration: configuration, backgroundLogger: logger), PoolRetirement())
                let started = PoolRetirement()
                launch.yield((candidate.0, candidate.1, started))
                await started.wait()
                if await Self.answers(candidate.0, logger: logger) {
                    // Answered at the first try: the report was spurious and the current client is kept.
                    if failed { replace(with: candidate) } else { candidate.1.retire() }
                    break
                }
                candidate.1.retire()
                failed = true
                try? await Task.sleep(for: probeInterval)
            }
        }
        launch.finish()
    }

    /// Whether `client` runs a query within a second (a black-holed path never answers); its connection stays pooled.
    private static func answers(_ client: PostgresClient, logger: Logger) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                let answered = try? await Abandonable.run {
                    try await client.withConnection { connection in
                        _ = try await connection.query("SELECT 1", logger: logger)
                        return true
                    }
                }
                return answered ?? false
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(1))
                return false
            }
            let answered = await group.next() ?? false
            group.cancelAll()
            return answered
        }
    }

    /// Makes `fresh` (already running) the client for new operations and retires the old one.
    private func replace(with fresh: (PostgresClient, PoolRetirement)) {
        let old = current.withLock { current in
            defer { current = fresh }
            return current
        }
        replacements.add(1, ordering: .relaxed)
        logger.notice("the database accepts connections again; connection pool replaced")
        old.retirement.retire()
    }
}

/// The moment a pooled client is replaced after an outage: raised once, and every waiter (past or future) returns.
/// (The pool also uses one as a latch for "this client's `run()` has started".)
///
/// Operations started on a client wait on it beside their work, so that one stalled on a connection of the
/// replaced client (a server that went away mid-query, a black-holed path) is abandoned when the fresh client
/// takes over, instead of waiting out its operation timeout while later work queues behind it.
final class PoolRetirement: Sendable {
    private struct State {
        var retired = false
        var nextToken: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Whether the client was replaced.
    var isRetired: Bool { state.withLock { $0.retired } }

    /// Marks the client replaced and wakes every waiter; later calls do nothing.
    func retire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.retired else { return [] }
            state.retired = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the client is replaced, at once if it already was, or when the calling task is cancelled.
    func wait() async {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.retired || Task.isCancelled { return true }
                    state.waiters[token] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: token) }?.resume()
        }
    }
}
