import Foundation
import HooklineCore
import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Runs `body` on a pooled connection (in a transaction if asked), failing with `unavailable` when no
    /// connection was obtained within `connectionWait`.
    ///
    /// While the database is down the pool keeps requests waiting (up to a minute) and retries connecting;
    /// a caller gets a prompt 503 instead. Work holding a connection gets `operationTimeout`: a query on a
    /// connection that the server closes while shutting down can wait forever without noticing cancellation,
    /// so such an operation is abandoned (see `Abandonable`) and its caller gets a 503.
    func leased<T: Sendable>(transaction: Bool, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = client
        let logger = logger
        let leased = LeaseFlag()
        let wait = connectionWait
        let operationLimit = operationTimeout
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await Abandonable.run {
                    if transaction {
                        return try await client.withTransaction(logger: logger) { connection in
                            leased.raise()
                            return try await body(connection)
                        }
                    }
                    return try await client.withConnection { connection in
                        leased.raise()
                        return try await body(connection)
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: wait)
                return nil
            }
            defer { group.cancelAll() }
            var timeouts = 0
            while let next = try await group.next() {
                if let value = next { return value }
                if !leased.isRaised { throw HooklineError(.unavailable, "the database did not answer within \(wait)") }
                timeouts += 1
                if timeouts > 1 { throw HooklineError(.unavailable, "the database stopped answering") }
                group.addTask {
                    try? await Task.sleep(for: operationLimit)
                    return nil
                }
            }
            throw CancellationError()
        }
    }
}

/// Set once a pooled connection has been handed over.
private final class LeaseFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Marks the connection as obtained.
    func raise() { raised.store(true, ordering: .releasing) }

    /// Whether the connection was obtained.
    var isRaised: Bool { raised.load(ordering: .acquiring) }
}

/// Runs an operation that may ignore cancellation, so that its caller can stop waiting for it.
///
/// The operation runs in a task of its own; cancelling the caller resumes it at once with `CancellationError`
/// and leaves the operation to finish (or hang) alone. Used only around database calls, whose driver can
/// miss a connection closed by a server shutdown.
enum Abandonable {
    /// Runs `operation`, returning early with `CancellationError` when the calling task is cancelled.
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.install(continuation)
                Task {
                    do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
                }
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
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
