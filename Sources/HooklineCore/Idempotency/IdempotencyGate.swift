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
package final class IdempotencyGate<Store: HooklineStore, Clock: HooklineClock>: Sendable {
    /// How long keys are kept.
    package struct Configuration: Sendable {
        /// How long a kept response is replayed.
        package var retention: Duration
        /// How often expired keys are deleted, at most.
        package var purgeInterval: Duration

        /// Creates a configuration; defaults: 12 h retention, purge at most every 10 minutes.
        package init(retention: Duration = .seconds(12 * 3600), purgeInterval: Duration = .seconds(600)) {
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
    package init(configuration: Configuration = .init(), store: Store, clock: Clock, logger: Logger = Logger(label: "hookline.idempotency")) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// The stored key for a request: a digest of the credentials, method, full URL and the caller's key.
    package static func scope(credentials: String, method: String, url: String, key: String) -> String {
        let text = [credentials, method, url, key].joined(separator: "\n")
        return LowercaseHex.text(SHA256.hash(data: Array(text.utf8)))
    }

    /// Runs `work` unless a response for `scope` is kept; returns the response and whether it was replayed.
    ///
    /// `createsMessage`: `work` creates a message (`Gateway.createMessage`), whose store looks the key up in the
    /// message's own transaction (`InsertOutcome.keptResponse`, thrown on as `IdempotencyReplay`) instead of by a read
    /// before the work.
    package func perform(
        scope: String, createsMessage: Bool = false, _ work: () async throws -> IdempotentResponse
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
            if !createsMessage, let kept = try await store.idempotencyRecord(key: scope, now: clock.now()) {
                return (kept.response, true)
            }
            let started = clock.now()
            let claim = IdempotencyClaim(key: scope, createdAt: started, expiresAt: started.adding(configuration.retention))
            let response: IdempotentResponse
            do {
                response = try await IdempotencyClaim.$current.withValue(claim) { try await work() }
            } catch let replay as IdempotencyReplay {
                return (replay.response, true)
            }
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

/// Thrown by a creation path whose commit found the request's idempotency key already keeping a response:
/// nothing was written, and `IdempotencyGate.perform` answers with `response` as a replay.
package struct IdempotencyReplay: Error {
    /// The response the key keeps.
    package var response: IdempotentResponse

    /// A replay of `response`.
    package init(response: IdempotentResponse) {
        self.response = response
    }
}

/// The idempotency key the current request runs under, so that what the request creates is committed in the
/// same transaction as its kept response: a retry after any error then finds the response if it committed.
///
/// `IdempotencyGate.perform` binds it for the request's task (`current`); a creation path that can render its
/// answer before committing (`Gateway.createMessage`) attaches `record(_:)` to what it commits and calls
/// `markKept()` once that committed, so the gate does not keep the response a second time.
package final class IdempotencyClaim: Sendable {
    /// The claim of the request running in this task, if it carries an idempotency key.
    @TaskLocal package static var current: IdempotencyClaim?

    /// The scoped key (see `IdempotencyGate.scope`).
    package let key: String
    /// When the request started.
    package let createdAt: Date
    /// When the kept response expires.
    package let expiresAt: Date
    private let kept = Atomic<Bool>(false)

    /// Creates a claim for `key`, kept from `createdAt` until `expiresAt`.
    package init(key: String, createdAt: Date, expiresAt: Date) {
        self.key = key
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The record that keeps `response` under this claim's key.
    package func record(_ response: IdempotentResponse) -> IdempotencyRecord {
        IdempotencyRecord(key: key, response: response, createdAt: createdAt, expiresAt: expiresAt)
    }

    /// Notes that the record committed with the request's own transaction.
    package func markKept() { kept.store(true, ordering: .releasing) }

    /// Whether the record committed with the request's own transaction.
    package var isKept: Bool { kept.load(ordering: .acquiring) }
}

/// A kept response of a POST, found again by its scoped idempotency key until it expires.
package struct IdempotencyRecord: Sendable, Equatable {
    /// The digest of credentials, method, URL and the caller's key.
    package var key: String
    /// The response to replay.
    package var response: IdempotentResponse
    /// When the first request completed.
    package var createdAt: Date
    /// When the key may be used afresh.
    package var expiresAt: Date

    /// Creates a record.
    package init(key: String, response: IdempotentResponse, createdAt: Date, expiresAt: Date) {
        self.key = key
        self.response = response
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A response as an idempotency key replays it: status, content type and the exact body bytes.
package struct IdempotentResponse: Sendable, Equatable {
    /// The HTTP status code.
    package var status: Int
    /// The `content-type`, if any.
    package var contentType: String?
    /// The body, byte for byte.
    package var body: Data

    /// Creates a response value.
    package init(status: Int, contentType: String?, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// Whether the response is a 2xx, the only kind that is kept.
    package var isSuccess: Bool { (200..<300).contains(status) }
}
