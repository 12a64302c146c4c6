import Foundation
import HooklineCore
import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Runs `body` on a pooled connection (in a transaction if asked); an error answer always means the
    /// transaction did not commit, unless its code is `outcomeUnknown`.
    ///
    /// While the database is down the pool keeps requests waiting and retries connecting; a caller gets a
    /// prompt `unavailable` after `connectionWait` instead, and the abandoned request never runs `body` (see
    /// `OperationFate`). Work holding a connection gets `operationTimeout` more: a query on a connection that
    /// the server closes while shutting down can wait forever without noticing cancellation, so such an
    /// operation is abandoned (see `Abandonable`). A transaction abandoned before its `COMMIT` was sent rolls
    /// back (`unavailable`); one abandoned while its `COMMIT` is in flight may or may not have committed, and
    /// only then is the caller told `outcomeUnknown`. When the pool replaces its client after an outage, an
    /// operation still on the old one is abandoned at once the same way (see `PoolRetirement`); one that was
    /// still waiting for a connection never ran, so it runs on the new client within what is left of its wait.
    /// With `autocommit` (no transaction: `body` sends one statement that commits by itself) the operation counts as
    /// committing as soon as it has its connection.
    func leased<T: Sendable>(
        transaction: Bool, autocommit: Bool = false, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let started = ContinuousClock.now
        do {
            return try await leased(transaction: transaction, autocommit: autocommit, wait: connectionWait, body)
        } catch is ClientReplaced {
            let left = connectionWait - (ContinuousClock.now - started)
            return try await leased(transaction: transaction, autocommit: autocommit, wait: max(left, .milliseconds(1)), body)
        }
    }

    /// `leased` on the current client with a connection wait of `wait`; throws `ClientReplaced` when the client is
    /// replaced while the operation waits for a connection.
    private func leased<T: Sendable>(
        transaction: Bool, autocommit: Bool, wait: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let (client, retirement) = pool.generation
        let logger = logger
        let fate = OperationFate()
        let operationLimit = operationTimeout
        let lease = pool.meter.lease()
        defer { lease.gaveUp() }
        return try await withThrowingTaskGroup(of: Step<T>.self) { group in
            group.addTask {
                try await Abandonable.run {
                    if transaction {
                        return .done(
                            try await client.withTransaction(logger: logger) { connection in
                                try fate.start()
                                lease.acquired()
                                defer { lease.released() }
                                let value = try await body(connection)
                                try fate.commit()
                                return value
                            })
                    }
                    return .done(
                        try await client.withConnection { connection in
                            try fate.start()
                            if autocommit { try fate.commit() }
                            lease.acquired()
                            defer { lease.released() }
                            return try await body(connection)
                        })
                }
            }
            group.addTask {
                try? await Task.sleep(for: wait)
                return .timedOut
            }
            group.addTask {
                await retirement.wait()
                return .retired
            }
            defer { group.cancelAll() }
            var timeouts = 0
            while let next = try await group.next() {
                switch next {
                case .done(let value): return value
                case .timedOut: timeouts += 1
                case .retired:
                    guard !Task.isCancelled else { throw CancellationError() }
                    switch fate.abandon(final: true) {
                    case .waiting: throw ClientReplaced()
                    case .committing:
                        throw HooklineError(
                            .outcomeUnknown, "the database connection was replaced while committing; retry with the same Idempotency-Key")
                    case .running, .abandoned:
                        throw HooklineError(.unavailable, "the database connection was replaced after an outage; nothing was written")
                    }
                }
                switch fate.abandon(final: timeouts > 1) {
                case .waiting:
                    throw HooklineError(.unavailable, "the database did not answer within \(wait); nothing was written")
                case .running where timeouts > 1:
                    throw HooklineError(.unavailable, "the database stopped answering; nothing was written")
                case .committing where timeouts > 1 || autocommit:
                    // A lone statement counts as committing from its first byte, where a transaction whose BEGIN is
                    // unanswered still counts as waiting: it answers at the first deadline as that one does, so requests
                    // queued behind it (a black-holed path) stay within their own deadline.
                    throw HooklineError(
                        .outcomeUnknown, "the database stopped answering while committing; retry with the same Idempotency-Key")
                case .running, .committing, .abandoned:
                    group.addTask {
                        try? await Task.sleep(for: operationLimit)
                        return .timedOut
                    }
                }
            }
            throw CancellationError()
        }
    }
}

/// Thrown inside `leased` when the client is replaced while the operation still waits for a connection.
private struct ClientReplaced: Error {}

/// What finished first in `leased`: the operation, a deadline, or the replacement of its client.
private enum Step<T: Sendable>: Sendable {
    case done(T)
    case timedOut
    case retired
}

/// Where a pooled operation stands, decided under one lock so that a caller that stops waiting knows whether
/// the operation can still commit: abandoned before its connection or before its `COMMIT`, it never does.
final class OperationFate: Sendable {
    /// The stages of an operation.
    enum Stage: Sendable {
        /// Waiting for a pooled connection.
        case waiting
        /// Running its statements on a connection.
        case running
        /// Its `COMMIT` is (about to be) sent.
        case committing
        /// Given up by its caller before committing: it must not run or commit.
        case abandoned
    }

    /// Thrown into an abandoned operation, so that its transaction rolls back.
    struct Abandoned: Error {}

    private let stage = Mutex<Stage>(.waiting)

    /// Moves to `running` once a connection is obtained; throws `Abandoned` when the caller gave up.
    func start() throws {
        try stage.withLock { stage in
            guard stage == .waiting else { throw Abandoned() }
            stage = .running
        }
    }

    /// Moves to `committing` just before the transaction commits; throws `Abandoned` when the caller gave up.
    func commit() throws {
        try stage.withLock { stage in
            guard stage == .running else { throw Abandoned() }
            stage = .committing
        }
    }

    /// Gives the operation up when it is waiting for a connection, or (when `final`) still running; returns the
    /// stage it was in. A committing operation is never given up: its outcome is not the caller's to decide.
    func abandon(final: Bool) -> Stage {
        stage.withLock { stage in
            let found = stage
            if found == .waiting || (final && found == .running) { stage = .abandoned }
            return found
        }
    }
}

/// Runs an operation that may ignore cancellation, so that its caller can stop waiting for it.
///
/// The operation runs in a task of its own; cancelling the caller resumes it at once with `CancellationError`
/// and cancels the operation's task (withdrawing a pending connection request), leaving it to finish (or hang)
/// alone. Used only around database calls, whose driver can miss a connection closed by a server shutdown.
enum Abandonable {
    /// Runs `operation`, returning early with `CancellationError` when the calling task is cancelled.
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        let task = Task {
            do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.install(continuation)
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
            task.cancel()
        }
    }

    /// Resumes its continuation once, with whichever result comes first.
    private final class Outcome<T: Sendable>: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, early: Result<T, any Error>?, done: Bool)>((nil, nil, false))

        func install(_ continuation: CheckedContinuation<T, any Error>) {
            let early = state.withLock { state -> Result<T, any Error>? in
                if let early = state.early { state.done = true; return early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }

        func finish(_ result: Result<T, any Error>) {
            let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
                guard !state.done else { return nil }
                guard let continuation = state.continuation else {
                    if state.early == nil { state.early = result }
                    return nil
                }
                state.done = true
                return continuation
            }
            continuation?.resume(with: result)
        }
    }
}
