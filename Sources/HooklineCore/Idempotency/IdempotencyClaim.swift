import Foundation
import Synchronization

/// The idempotency key the current request runs under, so that what the request creates is committed in the
/// same transaction as its kept response: a retry after any error then finds the response if it committed.
///
/// `IdempotencyGate.perform` binds it for the request's task (`current`); a creation path that can render its
/// answer before committing (`Gateway.createMessage`) attaches `record(_:)` to what it commits and calls
/// `markKept()` once that committed, so the gate does not keep the response a second time.
public final class IdempotencyClaim: Sendable {
    /// The claim of the request running in this task, if it carries an idempotency key.
    @TaskLocal public static var current: IdempotencyClaim?

    /// The scoped key (see `IdempotencyGate.scope`).
    public let key: String
    /// When the request started.
    public let createdAt: Date
    /// When the kept response expires.
    public let expiresAt: Date
    private let kept = Atomic<Bool>(false)

    /// Creates a claim for `key`, kept from `createdAt` until `expiresAt`.
    public init(key: String, createdAt: Date, expiresAt: Date) {
        self.key = key
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The record that keeps `response` under this claim's key.
    public func record(_ response: IdempotentResponse) -> IdempotencyRecord {
        IdempotencyRecord(key: key, response: response, createdAt: createdAt, expiresAt: expiresAt)
    }

    /// Notes that the record committed with the request's own transaction.
    public func markKept() { kept.store(true, ordering: .releasing) }

    /// Whether the record committed with the request's own transaction.
    public var isKept: Bool { kept.load(ordering: .acquiring) }
}
