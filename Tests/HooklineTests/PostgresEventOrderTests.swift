import Foundation
import HooklineCore
import HooklineTesting
import Testing

@testable import HooklinePostgres

/// The PostgreSQL event log's order without a turn-taking lock: appenders hold the event-order lock shared, and a
/// reader's fence waits for those that drew ids before it looked.
@Suite(.enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL store tests skipped"), .timeLimit(.minutes(5)))
struct PostgresEventOrderTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// An appender whose transaction is still open does not hold back another one, which commits a larger id first; a
    /// reader that starts then waits for the open one and returns both, in id order, instead of moving past the
    /// smaller id before it is visible.
    ///
    /// The fence waits without a limit here (`eventFenceWait = .zero`): the open transaction ends when the test releases
    /// it, and on a loaded machine that can take longer than the default second, after which the read returns nothing
    /// (that bound has a test of its own below).
    @Test func aReaderNeverMovesPastAnEventStillToCommit() async throws {
        try await Self.withOpenAppender(fenceWait: .zero) { store, mark, commit in
            async let read = store.events(after: mark, limit: 10)
            try await Self.waitForQueuedFence(store)
            await commit()
            let events = try await read
            #expect(events.map(\.draft.messageId) == ["slow", "fast"], "both events, the open one's smaller id first")
            #expect(events.map(\.id) == events.map(\.id).sorted())
        }
    }

    /// A fence that waits longer than `eventFenceWait` for an open appender gives up, and the read returns nothing
    /// rather than move past the open appender's id.
    @Test func aFenceThatCannotCloseTheLogReadsNothing() async throws {
        try await Self.withOpenAppender(fenceWait: .milliseconds(50)) { store, mark, commit in
            let whileOpen = try await store.events(after: mark, limit: 10)
            await commit()
            #expect(whileOpen.isEmpty, "read past an appender still open: \(whileOpen.map(\.draft.messageId))")
            let afterCommit = try await store.events(after: mark, limit: 10)
            #expect(afterCommit.map(\.draft.messageId) == ["slow", "fast"])
        }
    }

    /// On a new database, with a store whose fence waits `fenceWait`: an appender of `slow` holds its transaction (and
    /// its shared lock) open while `fast` commits after it, then `body` runs with the log's id before both and a
    /// `commit` that lets the open appender commit and returns once it has.
    static func withOpenAppender(
        fenceWait: Duration, _ body: @Sendable (PostgresStore, Int64, _ commit: @Sendable () async -> Void) async throws -> Void
    ) async throws {
        try await PostgresTestDatabase.withDatabase { database in
            var configured = try database.makeStore()
            configured.eventFenceWait = fenceWait
            let store = configured
            try await PostgresTestDatabase.running(store.client) {
                try await store.migrate()
                let mark = try await store.eventLogBounds().lastId
                let (appended, appendedSignal) = AsyncStream<Void>.makeStream()
                let (released, release) = AsyncStream<Void>.makeStream()
                let (committed, committedSignal) = AsyncStream<Void>.makeStream()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        defer {
                            appendedSignal.finish()
                            committedSignal.finish()
                        }
                        try await store.writing { session in
                            try await session.appendEvents([Self.draft("slow")])
                            appendedSignal.yield()
                            for await _ in released { break }
                        }
                    }
                    for await _ in appended { break }
                    try await store.appendEvents([Self.draft("fast")])
                    try await body(store, mark) {
                        release.yield()
                        for await _ in committed {}
                    }
                    release.yield()
                    try await group.waitForAll()
                }
            }
        }
    }

    /// An id the sequence gave to a transaction that rolled back leaves a hole before the first event: a stream resumed
    /// from 0 gets every event and no `stream.gap` warning, as nothing was pruned.
    @Test func aSequenceHoleIsNotAPrune() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = try database.makeStore()
            try await PostgresTestDatabase.running(store.client) {
                try await store.migrate()
                try await store.writing { session in
                    try await session.execute("SELECT nextval(pg_get_serial_sequence('event', 'id'))")
                }
                try await store.appendEvents([Self.draft("after-hole")])
                let bounds = try await store.eventLogBounds()
                #expect(bounds.firstId == 2 && bounds.lastId == 2, "\(bounds)")
                #expect(!bounds.hasPruned(after: 0), "a hole reads as a prune: \(bounds)")
            }
        }
    }

    /// A log pruned before v18 kept no watermark: the migration starts it just below the oldest kept event.
    @Test func theWatermarkOfAnUpgradedLogStartsBelowItsOldestEvent() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = try database.makeStore()
            try await PostgresTestDatabase.running(store.client) {
                try await PostgresMigrations.apply(client: store.client, logger: store.logger, through: 17)
                try await store.appendEvents((0..<4).map { Self.draft("before-upgrade-\($0)") })
                try await store.writing { session in try await session.execute("DELETE FROM event WHERE id <= 2 RETURNING 1") }
                try await store.migrate()
                let bounds = try await store.eventLogBounds()
                #expect(bounds == EventLogBounds(firstId: 3, lastId: 4, prunedThrough: 2))
            }
        }
    }

    static func draft(_ name: String) -> EventDraft {
        EventDraft(kind: .messageCreated, appId: "app_order", messageId: name, createdAt: t0)
    }

    /// Returns once a reader's fence is queued for the event-order lock: a shared request then conflicts with it (and
    /// not with the shared holders). Each try is one statement; PostgreSQL's lock queue is the signal.
    static func waitForQueuedFence(_ store: PostgresStore) async throws {
        for _ in 0..<10_000 {
            let granted = try await store.reading { session in
                try await session.value("SELECT pg_try_advisory_xact_lock_shared(\(PostgresSession.eventLockKey))", as: Bool.self)
            }
            if granted == false { return }
        }
        Issue.record("the reader's fence never queued for the event-order lock")
    }
}
