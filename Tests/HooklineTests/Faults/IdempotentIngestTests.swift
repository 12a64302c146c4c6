import Foundation
import HooklineCore
import HooklineSQLite
import HooklineTesting
import Testing

@testable import HooklinePostgres

/// An error answer means nothing was written: the fate of a pooled operation, and the idempotency record
/// committed in the same transaction as its message.
@Suite(.timeLimit(.minutes(3))) struct IdempotentIngestTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func anOperationAbandonedBeforeItsConnectionNeverRuns() throws {
        let fate = OperationFate()
        #expect(fate.abandon(final: false) == .waiting)
        #expect(throws: OperationFate.Abandoned.self) { try fate.start() }
        #expect(throws: OperationFate.Abandoned.self) { try fate.commit() }
    }

    @Test func anOperationAbandonedWhileRunningNeverCommits() throws {
        let fate = OperationFate()
        try fate.start()
        #expect(fate.abandon(final: false) == .running, "the connection wait alone does not abandon running work")
        #expect(fate.abandon(final: true) == .running)
        #expect(throws: OperationFate.Abandoned.self) { try fate.commit() }
    }

    @Test func aCommittingOperationIsNeverAbandoned() throws {
        let fate = OperationFate()
        try fate.start()
        try fate.commit()
        #expect(fate.abandon(final: true) == .committing, "its outcome is unknown, not refused")
        #expect(fate.abandon(final: true) == .committing)
    }

    @Test func sqliteKeepsTheRecordWithTheMessage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookline-idem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.keepsTheRecordWithTheMessage(try await SQLiteStore.open(path: directory.path + "/hookline.sqlite"))
    }

    @Test(.enabled(if: PostgresEnvironment.enabled, "set HOOKLINE_TEST_DATABASE_URL to run the PostgreSQL suites"))
    func postgresKeepsTheRecordWithTheMessage() async throws {
        try await PostgresTestDatabase.withStore { store in try await Self.keepsTheRecordWithTheMessage(store) }
    }

    /// A message's record commits with it; a second message under a key already held is answered with the kept
    /// response and writes nothing; a message not inserted (duplicate event id) keeps no record.
    static func keepsTheRecordWithTheMessage(_ store: some HooklineStore) async throws {
        let app = Fixtures.application(at: t0)
        try await store.insertApplication(app)
        let endpoint = Fixtures.endpoint(app: app, at: t0)
        try await store.insertEndpoint(endpoint)
        let claim = IdempotencyClaim(key: "scope-1", createdAt: t0, expiresAt: t0.addingTimeInterval(3600))
        let answer = IdempotentResponse(status: 202, contentType: "application/json", body: Data(#"{"id":"first"}"#.utf8))

        var first = NewMessage(message: Fixtures.message(app: app, eventId: "e-1", at: t0), endpointIds: [endpoint.id], deliverAt: t0)
        first.idempotency = claim.record(answer)
        #expect(try await store.insertMessages([first]) == [.inserted])
        #expect(try await store.idempotencyRecord(key: "scope-1", now: t0)?.response == answer, "kept in the message's transaction")

        var second = NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [endpoint.id], deliverAt: t0)
        second.idempotency = claim.record(IdempotentResponse(status: 202, contentType: "application/json", body: Data("{}".utf8)))
        // The key is read in the transaction: the second try answers with what the key keeps and writes nothing.
        #expect(try await store.insertMessages([second]) == [.keptResponse(answer)])
        #expect(try await store.message(appId: app.id, id: second.message.id) == nil, "nothing of the second try was written")
        #expect(try await store.idempotencyRecord(key: "scope-1", now: t0)?.response == answer, "the first answer stays")

        var duplicate = NewMessage(message: Fixtures.message(app: app, eventId: "e-1", at: t0), endpointIds: [endpoint.id], deliverAt: t0)
        duplicate.idempotency = IdempotencyClaim(key: "scope-2", createdAt: t0, expiresAt: t0.addingTimeInterval(3600)).record(answer)
        #expect(try await store.insertMessages([duplicate]) == [.duplicateEventId(existingId: first.message.id)])
        #expect(try await store.idempotencyRecord(key: "scope-2", now: t0) == nil, "no record for a message not inserted")

        var renewed = NewMessage(message: Fixtures.message(app: app, at: t0), endpointIds: [endpoint.id], deliverAt: t0)
        let later = t0.addingTimeInterval(7200)
        renewed.idempotency = IdempotencyClaim(key: "scope-1", createdAt: later, expiresAt: later.addingTimeInterval(3600)).record(answer)
        #expect(try await store.insertMessages([renewed]) == [.inserted], "an expired record gives way")

        // A batch keeps all its records at once; a key already held in it is answered with its response alone.
        let keys = ["scope-3", "scope-4"].map { IdempotencyClaim(key: $0, createdAt: later, expiresAt: later.addingTimeInterval(3600)) }
        let batch = keys.map { claim in
            var item = NewMessage(message: Fixtures.message(app: app, at: later), endpointIds: [endpoint.id], deliverAt: later)
            item.idempotency = claim.record(answer)
            return item
        }
        #expect(try await store.insertMessages(batch) == [.inserted, .inserted])
        for claim in keys { #expect(try await store.idempotencyRecord(key: claim.key, now: later)?.response == answer) }
        var fresh = NewMessage(message: Fixtures.message(app: app, at: later), endpointIds: [endpoint.id], deliverAt: later)
        fresh.idempotency = IdempotencyClaim(key: "scope-5", createdAt: later, expiresAt: later.addingTimeInterval(3600)).record(answer)
        var held = NewMessage(message: Fixtures.message(app: app, at: later), endpointIds: [endpoint.id], deliverAt: later)
        held.idempotency = keys[0].record(IdempotentResponse(status: 202, contentType: nil, body: Data("{}".utf8)))
        #expect(try await store.insertMessages([held, fresh]) == [.keptResponse(answer), .inserted])
        #expect(try await store.message(appId: app.id, id: fresh.message.id) != nil, "the other message of the batch commits")
        #expect(try await store.idempotencyRecord(key: "scope-5", now: later)?.response == answer)
        #expect(try await store.message(appId: app.id, id: held.message.id) == nil, "nothing of the held key's second try")
    }
}
