import Foundation
import HooklineCore
import HooklineTesting
import PostgresNIO
import Testing

@testable import HooklinePostgres

/// Retention on day partitions: a wholly expired day is dropped, and nothing that is not expired goes with it.
@Suite(
    .enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL partition tests skipped"), .timeLimit(.minutes(5)))
struct PostgresPartitionRetentionTests {
    static let day = PostgresPartitionDay(containing: Date(timeIntervalSince1970: 1_700_000_000))
    static func at(_ day: PostgresPartitionDay, hour: Double) -> Date {
        Date(millisecondsSince1970: day.start).addingTimeInterval(hour * 3600)
    }

    /// Claims `message`'s delivery at `time` and records one attempt: delivered, or failed and retrying at `retry`.
    static func attempt(_ store: PostgresStore, _ message: Message, at time: Date, retry: Date? = nil) async throws {
        let claimed = try await store.claimDeliveries(ClaimRequest(now: time, limit: 50, leaseUntil: time.addingTimeInterval(30)))
        let delivery = try #require(claimed.first { $0.message.id == message.id })
        let attempt = Fixtures.attempt(for: delivery, status: retry == nil ? .success : .fail, code: retry == nil ? 200 : 500, at: time)
        try await store.completeDeliveries([
            DeliveryOutcome(claimed: delivery, attempt: attempt, next: retry.map { .retry(at: $0) } ?? .succeeded, now: time)
        ])
    }

    @Test func droppingAnExpiredDayKeepsUnfinishedMessagesAndEverythingYounger() async throws {
        try await PostgresTestDatabase.withStore { store in
            let (d0, d1, d2) = (Self.day, Self.day.next, Self.day.next.next)
            _ = try await store.createPartitions(from: Self.at(d0, hour: 0), through: Self.at(d2, hour: 0))
            let app = Fixtures.application(at: Self.at(d0, hour: 0))
            try await store.insertApplication(app)
            let endpoint = Fixtures.endpoint(app: app, at: Self.at(d0, hour: 0))
            try await store.insertEndpoint(endpoint)
            func send(_ message: Message) async throws {
                let outcome = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: message.createdAt)])
                #expect(outcome == [.inserted])
            }
            // Day 0: one delivered (attempted on day 1), one still retrying, one never sent; day 1 and 2: one delivered each.
            let delivered = Fixtures.message(app: app, eventId: "evt-old", at: Self.at(d0, hour: 1))
            let retrying = Fixtures.message(app: app, at: Self.at(d0, hour: 2))
            let later = Fixtures.message(app: app, at: Self.at(d1, hour: 5))
            let recent = Fixtures.message(app: app, at: Self.at(d2, hour: 1))
            for message in [delivered, retrying, later, recent] { try await send(message) }
            let unsent = Fixtures.message(app: app, at: Self.at(d0, hour: 3))
            _ = try await store.insertMessages([NewMessage(message: unsent, endpointIds: [endpoint.id], deliverAt: Self.at(d2, hour: 20))])
            try await Self.attempt(store, retrying, at: Self.at(d0, hour: 2), retry: Self.at(d2, hour: 12))
            try await Self.attempt(store, delivered, at: Self.at(d1, hour: 0.5))
            try await Self.attempt(store, later, at: Self.at(d1, hour: 6))
            try await Self.attempt(store, recent, at: Self.at(d2, hour: 2))

            // Day 0 ends before the cutoff (dropped); day 1 does not (only its messages older than the cutoff may go, row by row).
            let cutoff = Self.at(d1, hour: 3)
            #expect(try await store.purgeMessages(before: cutoff, limit: 100) == 1, "only the delivered day-0 message is removed")
            let names = try await store.partitionNames()
            #expect(!names.contains("message_d\(d0.label)") && !names.contains("attempt_d\(d0.label)"), "day 0 dropped: \(names)")
            #expect(names.contains("message_d\(d1.label)") && names.contains("attempt_d\(d1.label)"), "day 1 kept: \(names)")

            #expect(try await store.message(appId: app.id, id: delivered.id) == nil, "the delivered day-0 message went")
            #expect(try await store.deliveries(messageId: delivered.id).isEmpty, "with its delivery row")
            #expect(try await store.attempts(AttemptQuery(appId: app.id, messageId: delivered.id)).items.isEmpty, "and its attempt")
            for kept in [retrying, unsent, later, recent] {
                #expect(try await store.message(appId: app.id, id: kept.id)?.payload == kept.payload, "message \(kept.id) kept whole")
                #expect(try await store.deliveries(messageId: kept.id).count == 1, "with its delivery row")
            }
            #expect(try await store.deliveries(messageId: retrying.id).first?.state.isActive == true, "the retry is still queued")
            #expect(
                try await store.attempts(AttemptQuery(appId: app.id, messageId: retrying.id)).items.count == 1, "the retrying one keeps its attempt")
            #expect(try await store.attempts(AttemptQuery(appId: app.id, messageId: later.id)).items.count == 1, "day 1's attempt kept")
            let homes = try await store.reading { session in
                try await session.strings(
                    "SELECT tableoid::regclass::text FROM message WHERE id IN ('\(retrying.id)', '\(unsent.id)') GROUP BY 1")
            }
            #expect(homes == ["message_default"], "kept day-0 messages moved to the default partition")
            // The dropped message's event id is free again; the kept ones are still found by id.
            let again = Fixtures.message(app: app, eventId: "evt-old", at: Self.at(d2, hour: 3))
            #expect(try await store.insertMessages([NewMessage(message: again, endpointIds: [], deliverAt: again.createdAt)]) == [.inserted])
            // The retry finishes; once no active delivery holds it, row-by-row purging takes it from the default partition.
            try await Self.attempt(store, retrying, at: Self.at(d2, hour: 12))
            #expect(try await store.purgeMessages(before: cutoff, limit: 100) == 1, "the finished retry goes; the unsent one stays")
            #expect(try await store.message(appId: app.id, id: unsent.id) != nil)
        }
    }

    /// A day is dropped while batches of new messages commit: every acknowledged message is there afterwards.
    @Test func ingestCommittingWhileADayIsDroppedLosesNothing() async throws {
        try await PostgresTestDatabase.withStore { store in
            let (d0, d2) = (Self.day, Self.day.next.next)
            _ = try await store.createPartitions(from: Self.at(d0, hour: 0), through: Self.at(d2, hour: 0))
            let app = Fixtures.application(at: Self.at(d0, hour: 0))
            try await store.insertApplication(app)
            let endpoint = Fixtures.endpoint(app: app, at: Self.at(d0, hour: 0))
            try await store.insertEndpoint(endpoint)
            let old = (0..<300).map { Fixtures.message(app: app, eventId: "old-\($0)", at: Self.at(d0, hour: Double($0) / 20)) }
            _ = try await store.insertMessages(old.map { NewMessage(message: $0, endpointIds: [], deliverAt: $0.createdAt) })
            async let dropped = store.purgeMessages(before: Self.at(d0.next, hour: 1), limit: 500)
            async let acknowledged: [Message] = {
                var sent: [Message] = []
                for batch in 0..<20 {
                    let messages = (0..<10).map {
                        Fixtures.message(app: app, eventId: "new-\(batch)-\($0)", at: Self.at(d2, hour: Double(batch) / 10))
                    }
                    let outcomes = try await store.insertMessages(
                        messages.map { NewMessage(message: $0, endpointIds: [endpoint.id], deliverAt: $0.createdAt) })
                    #expect(outcomes.allSatisfy { $0 == .inserted })
                    sent += messages
                }
                return sent
            }()
            let (count, sent) = try await (dropped, acknowledged)
            #expect(count == 300, "the old day went whole")
            for message in sent {
                #expect(try await store.message(appId: app.id, id: message.id) != nil, "acknowledged \(message.id) is stored")
                #expect(try await store.deliveries(messageId: message.id).count == 1)
            }
            #expect(try await store.message(appId: app.id, id: "old-7") == nil, "an old event id resolves to nothing")
        }
    }
}

/// The v13 upgrade of a populated, unpartitioned (v12) database.
@Suite(
    .enabled(if: PostgresEnvironment.enabled, "HOOKLINE_TEST_DATABASE_URL is not set: PostgreSQL partition tests skipped"), .timeLimit(.minutes(5)))
struct PostgresPartitionUpgradeTests {
    @Test func aPopulatedDatabaseIsAttachedWholeAndKeepsWorking() async throws {
        try await PostgresTestDatabase.withDatabase { database in
            let store = try database.makeStore()
            try await PostgresTestDatabase.running(store.client) {
                try await PostgresMigrations.apply(client: store.client, logger: PostgresTestDatabase.logger, through: 12)
                let now = Date()
                let app = "app_upgrade", endpoint = "ep_upgrade"
                let old = now.addingTimeInterval(-40 * 86_400), recent = now.addingTimeInterval(-3600)
                let delivered = Identifier.make(.message, at: old), active = Identifier.make(.message, at: old.addingTimeInterval(1))
                let fresh = Identifier.make(.message, at: recent)
                try await store.writing { session in
                    for (id, time, eventId, state) in [
                        (delivered, old, "evt-1" as String?, DeliveryState.succeeded), (active, old, nil, .pending), (fresh, recent, nil, .succeeded),
                    ] {
                        try await session.execute(
                            """
                            INSERT INTO message (id, app_id, event_type, event_id, payload, created_at)
                            VALUES (\(id), \(app), 'user.created', \(eventId), '\\x7b7d'::bytea, \(time.millisecondsSince1970))
                            """)
                        try await session.execute(
                            """
                            INSERT INTO delivery (message_id, endpoint_id, app_id, state, next_attempt_at, updated_at)
                            VALUES (\(id), \(endpoint), \(app), \(Int(state.rawValue)), \(now.addingTimeInterval(86_400 * 10).millisecondsSince1970),
                                \(time.millisecondsSince1970))
                            """)
                        try await session.execute(
                            """
                            INSERT INTO attempt (id, message_id, endpoint_id, app_id, url, status_code, response, duration_ms, status,
                                trigger_type, created_at)
                            VALUES (\(Identifier.make(.attempt, at: time)), \(id), \(endpoint), \(app), 'http://127.0.0.1:9/', 200, 'ok', 1, 0, 0,
                                \(time.millisecondsSince1970))
                            """)
                    }
                }
                let indexBefore = try await store.reading { session in
                    try await session.scalar("SELECT 'message_pkey'::regclass::oid::int8", as: Int64.self)
                }

                try await store.migrate()
                let tomorrow = PostgresPartitionDay(containing: now).next
                let names = try await store.partitionNames()
                for name in ["message_upto_\(tomorrow.label)", "attempt_upto_\(tomorrow.label)", "message_default", "message_d\(tomorrow.label)"] {
                    #expect(names.contains(name), "\(name) in \(names)")
                }
                let indexAfter = try await store.reading { session in
                    try await session.scalar("SELECT 'message_pkey_upto'::regclass::oid::int8", as: Int64.self)
                }
                #expect(indexBefore != nil && indexAfter == indexBefore, "the old primary key index is attached, not rebuilt")
                #expect(try await store.message(appId: app, id: "evt-1")?.id == delivered, "found by its event id")
                #expect(try await store.message(appId: app, id: fresh)?.payload == Data("{}".utf8))
                #expect(try await store.attempts(AttemptQuery(appId: app, messageId: delivered)).items.count == 1)
                let repeated = Message(
                    id: Identifier.make(.message, at: now), appId: app, eventType: "user.created", eventId: "evt-1", payload: Data("{}".utf8),
                    channels: nil, tags: nil, createdAt: now)
                #expect(
                    try await store.insertMessages([NewMessage(message: repeated, endpointIds: [], deliverAt: now)]) == [
                        .duplicateEventId(existingId: delivered)
                    ], "the event id still belongs to its message")

                // Once the whole attached table is past retention it is dropped; the message still queued stays.
                let cutoff = Date(millisecondsSince1970: tomorrow.start)
                #expect(try await store.purgeMessages(before: cutoff, limit: 100) == 2)
                #expect(!(try await store.partitionNames()).contains("message_upto_\(tomorrow.label)"))
                #expect(try await store.message(appId: app, id: active) != nil, "the queued message is kept")
                #expect(try await store.message(appId: app, id: delivered) == nil)
                #expect(try await store.message(appId: app, id: fresh) == nil)
                #expect(try await store.attempts(AttemptQuery(appId: app, messageId: active)).items.count == 1, "with its attempt")
            }
        }
    }
}
