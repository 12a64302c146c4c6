import Crypto
import Foundation
import Logging
import Synchronization

/// Runs a POST at most once per idempotency key: a repeat within the retention period gets the first
/// 2xx response again, and a concurrent repeat waits for the first to finish instead of racing it.
///
/// Responses are kept in the store (durable across restarts); the single-flight map is per process. The work
/// runs with an `IdempotencyClaim` bound, so a path that commits the response with what it creates (a new
/// message) makes a retry after any error safe: the key was written if and only if the work committed.
public final class IdempotencyGate<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// How long keys are kept.
    public struct Configuration: Sendable {
        /// How long a kept response is replayed.
        public var retention: Duration
        /// How often expired keys are deleted, at most.
        public var purgeInterval: Duration

        /// Creates a configuration; defaults: 12 h retention, purge at most every 10 minutes.
        public init(retention: Duration = .seconds(12 * 3600), purgeInterval: Duration = .seconds(600)) {
            self.retention = retention
            self.purgeInterval = purgeInterval
        }
    }

    private let configuration: Configuration
    private let store: Store
    private let clock: Clock
    private let flights = Mutex<[String: Completion]>([:])
    private let lastPurge = Mutex<Date?>(nil)
    private let logger: Logger

    /// Creates a gate over `store`.
    public init(configuration: Configuration = .init(), store: Store, clock: Clock, logger: Logger = Logger(label: "hookline.idempotency")) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// The stored key for a request: a digest of the credentials, method, full URL and the caller's key.
    public static func scope(credentials: String, method: String, url: String, key: String) -> String {
        let text = [credentials, method, url, key].joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Runs `work` unless a response for `scope` is kept; returns the response and whether it was replayed.
    public func perform(
        scope: String, _ work: () async throws -> IdempotentResponse
    ) async throws -> (response: IdempotentResponse, replayed: Bool) {
        while true {
            let (flight, leads) = flights.withLock { flights -> (Completion, Bool) in
                if let existing = flights[scope] { return (existing, false) }
                let flight = Completion()
                flights[scope] = flight
                return (flight, true)
            }
            guard leads else {
                await flight.wait()
                try Task.checkCancellation()  // a caller that gave up stops waiting for the request ahead of it
                continue
            }
            defer {
                flights.withLock { _ = $0.removeValue(forKey: scope) }
                flight.finish()
            }
            if let kept = try await store.idempotencyRecord(key: scope, now: clock.now()) {
                return (kept.response, true)
            }
            let started = clock.now()
            let claim = IdempotencyClaim(key: scope, createdAt: started, expiresAt: started.adding(configuration.retention))
            let response = try await IdempotencyClaim.$current.withValue(claim) { try await work() }
            if response.isSuccess {
                let now = clock.now()
                if !claim.isKept {
                    do {
                        try await store.insertIdempotencyRecord(
                            IdempotencyRecord(key: scope, response: response, createdAt: now, expiresAt: now.adding(configuration.retention)))
                    } catch {
                        // The work is done: answer it. Only a later repeat of this key could run it again.
                        logger.error("keeping an idempotent response failed", metadata: ["error": "\(error)"])
                    }
                }
                await purgeIfDue(now: now)
            }
            return (response, false)
        }
    }

    private func purgeIfDue(now: Date) async {
        let due = lastPurge.withLock { last -> Bool in
            if let last, now < last.adding(configuration.purgeInterval) { return false }
            last = now
            return true
        }
        if due { _ = try? await store.deleteIdempotencyRecords(expiredBy: now) }
    }
}
