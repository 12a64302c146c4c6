import Foundation
import HooklineCore

extension StoreConformance {
    static func listFilters(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        var ids: [String] = []
        for index in 0..<6 {
            var message = Fixtures.message(app: app, at: t0.addingTimeInterval(Double(index)))
            message.eventType = index.isMultiple(of: 2) ? "even" : "odd"
            message.channels = index < 3 ? ["early"] : ["late", "all"]
            message.tags = index == 5 ? ["last"] : nil
            _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0)])
            ids.append(message.id)
        }
        func list(_ filter: ListFilter, _ page: PageRequest = PageRequest()) async throws -> [String] {
            try await store.messages(MessageQuery(appId: app.id, filter: filter, page: page)).items.map(\.id)
        }
        try await expect(try await list(ListFilter(eventTypes: ["even"])) == [ids[4], ids[2], ids[0]], "event type filter")
        try await expect(try await list(ListFilter(channel: "late")) == [ids[5], ids[4], ids[3]], "channel filter")
        try await expect(try await list(ListFilter(tag: "last")) == [ids[5]], "tag filter")
        let window = ListFilter(before: t0.addingTimeInterval(4), after: t0.addingTimeInterval(1))
        try await expect(try await list(window) == [ids[3], ids[2]], "before/after are exclusive")
        try await expect(try await list(ListFilter(eventTypes: ["odd"], channel: "early")) == [ids[1]], "filters combine")

        let first = try await store.messages(MessageQuery(appId: app.id, page: PageRequest(limit: 2)))
        try await expect(first.items.map(\.id) == [ids[5], ids[4]] && !first.done, "first page newest first")
        try await expect(first.prevIterator == "-" + ids[5], "prevIterator is '-' + the first id")
        let second = try await store.messages(MessageQuery(appId: app.id, page: PageRequest(limit: 2, iterator: first.iterator)))
        try await expect(second.items.map(\.id) == [ids[3], ids[2]], "second page")
        let back = try await store.messages(MessageQuery(appId: app.id, page: PageRequest(limit: 2, iterator: second.prevIterator)))
        try await expect(
            back.items.map(\.id) == [ids[5], ids[4]] && back.done, "paging backwards returns the first page, got \(back.items.map(\.id))")
    }

    static func attemptFilters(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        var typed = Fixtures.message(app: app, at: t0)
        typed.eventType = "invoice.paid"
        let plain = Fixtures.message(app: app, at: t0.addingTimeInterval(1))
        _ = try await store.insertMessages([
            NewMessage(message: typed, endpointIds: [endpoint.id], deliverAt: t0),
            NewMessage(message: plain, endpointIds: [endpoint.id], deliverAt: t0),
        ])
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 5, leaseUntil: t0.addingTimeInterval(30)))
        let outcomes = claimed.enumerated().map { index, delivery in
            let attempt = Fixtures.attempt(
                for: delivery, status: index == 0 ? .fail : .success, code: index == 0 ? 503 : 200, at: t0.addingTimeInterval(Double(index)))
            return DeliveryOutcome(claimed: delivery, attempt: attempt, next: index == 0 ? .failed : .succeeded, now: t0)
        }
        try await store.completeDeliveries(outcomes)
        let byType = try await store.attempts(AttemptQuery(appId: app.id, filter: ListFilter(eventTypes: ["invoice.paid"])))
        try await expect(byType.items.map(\.messageId) == [typed.id], "attempts filtered by the message's event type")
        let server = try await store.attempts(AttemptQuery(appId: app.id, statusCodeClass: 5))
        try await expect(server.items.count == 1 && server.items[0].responseStatusCode == 503, "attempts filtered by status code class")
        let late = try await store.attempts(AttemptQuery(appId: app.id, filter: ListFilter(after: t0)))
        try await expect(late.items.count == 1, "attempts filtered by time")
    }

    static func idempotency(_ store: any HooklineStore) async throws {
        let response = IdempotentResponse(status: 201, contentType: "application/json", body: Data(#"{"id":"app_1"}"#.utf8))
        let record = IdempotencyRecord(key: "k1", response: response, createdAt: t0, expiresAt: t0.addingTimeInterval(60))
        try await store.insertIdempotencyRecord(record)
        try await expect(try await store.idempotencyRecord(key: "k1", now: t0.addingTimeInterval(59)) == record, "record read back")
        try await expect(try await store.idempotencyRecord(key: "k1", now: t0.addingTimeInterval(60)) == nil, "expired record is not returned")
        let renewed = IdempotencyRecord(key: "k1", response: response, createdAt: t0.addingTimeInterval(61), expiresAt: t0.addingTimeInterval(120))
        try await store.insertIdempotencyRecord(renewed)
        try await expect(try await store.idempotencyRecord(key: "k1", now: t0.addingTimeInterval(61)) == renewed, "expired key reused")
        try await expect(try await store.deleteIdempotencyRecords(expiredBy: t0.addingTimeInterval(200)) == 1, "expired records deleted")
    }

    static func rotatedSecrets(_ store: any HooklineStore) async throws {
        let (app, original) = try await seed(store)
        var endpoint = original
        endpoint.rotateSecret(to: .random(), gracePeriod: .seconds(60), now: t0)
        try await store.updateEndpoint(endpoint)
        let read = try await store.endpoint(appId: app.id, idOrUid: endpoint.id)
        try await expect(read == endpoint && read?.previousSecrets.first?.secret == original.secret, "retired secrets are stored")
        try await expect(read?.signingSecrets(at: t0.addingTimeInterval(59)).count == 2, "both sign in the grace period")
        try await expect(read?.signingSecrets(at: t0.addingTimeInterval(60)) == [endpoint.secret], "only the new one after it")
    }

    static func resendAndRecover(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let other = Fixtures.endpoint(app: app, uid: "other", at: t0)
        try await store.insertEndpoint(other)
        var messages: [Message] = []
        for index in 0..<5 {
            let message = Fixtures.message(app: app, at: t0.addingTimeInterval(Double(index)))
            _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0)])
            messages.append(message)
        }
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 10, leaseUntil: t0.addingTimeInterval(30)))
        try await store.completeDeliveries(
            claimed.map {
                DeliveryOutcome(claimed: $0, attempt: nil, next: $0.message.id == messages[4].id ? .succeeded : .failed, now: t0)
            })
        let succeeded = try await store.messages(MessageQuery(appId: app.id, deliveryState: .succeeded))
        try await expect(succeeded.items.map(\.id) == [messages[4].id], "messages filtered by delivery state")
        let counts = try await store.deliveryCounts(endpointId: endpoint.id, since: nil, until: nil)
        try await expect(counts == DeliveryCounts(success: 1, fail: 4), "counts by state, got \(counts)")
        let windowed = try await store.deliveryCounts(endpointId: endpoint.id, since: t0.addingTimeInterval(1), until: t0.addingTimeInterval(3))
        try await expect(windowed == DeliveryCounts(fail: 2), "counts over a window, got \(windowed)")

        let now = t0.addingTimeInterval(100)
        let batch = RecoverBatch(
            endpointId: endpoint.id, since: t0.addingTimeInterval(1), until: t0.addingTimeInterval(4.5), cursor: nil, limit: 2, now: now)
        let first = try await store.recoverDeliveries(batch)
        try await expect(first == RecoverBatchResult(count: 2, cursor: messages[2].id), "first recover batch, got \(first)")
        var next = batch
        next.cursor = first.cursor
        let second = try await store.recoverDeliveries(next)
        try await expect(second == RecoverBatchResult(count: 1, cursor: messages[3].id), "second batch skips successes, got \(second)")
        let due = try await store.claimDeliveries(ClaimRequest(now: now, limit: 10, leaseUntil: now.addingTimeInterval(30)))
        try await expect(
            Set(due.map(\.message.id)) == Set(messages[1...3].map(\.id)) && due.allSatisfy(\.delivery.manual),
            "recovered deliveries are due and manual")

        try await store.resendDelivery(ResendRequest(appId: app.id, messageId: messages[4].id, endpointId: endpoint.id, now: now))
        try await store.resendDelivery(ResendRequest(appId: app.id, messageId: messages[4].id, endpointId: other.id, now: now))
        let resent = try await store.claimDeliveries(ClaimRequest(now: now, limit: 10, leaseUntil: now.addingTimeInterval(30)))
        try await expect(
            resent.count == 2 && resent.allSatisfy { $0.message.id == messages[4].id && $0.delivery.manual },
            "resend re-arms or creates a manual delivery")
        let deferredUntil = now.addingTimeInterval(1)
        try await store.completeDeliveries(resent.map { DeliveryOutcome(claimed: $0, attempt: nil, next: .retry(at: deferredUntil), now: now) })
        try await expect(
            try await store.deliveries(messageId: messages[4].id).allSatisfy(\.manual), "a deferral without an attempt keeps the manual flag")
        let retried = try await store.claimDeliveries(ClaimRequest(now: deferredUntil, limit: 10, leaseUntil: deferredUntil.addingTimeInterval(30)))
        try await store.completeDeliveries(
            retried.map {
                DeliveryOutcome(
                    claimed: $0, attempt: Fixtures.attempt(for: $0, status: .success, code: 200, at: deferredUntil), next: .succeeded,
                    now: deferredUntil)
            })
        try await expect(try await store.deliveries(messageId: messages[4].id).allSatisfy { !$0.manual }, "an attempt clears the manual flag")
    }

    static func tasks(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        var task = BackgroundTask(
            id: Identifier.make(.task, at: t0), kind: .endpointRecover, status: .running, appId: app.id, endpointId: endpoint.id,
            since: t0, until: nil, createdAt: t0, updatedAt: t0)
        try await store.insertTask(task)
        try await expect(try await store.task(id: task.id) == task, "task read back")
        try await expect(try await store.runningTasks() == [task], "running task listed")
        task.status = .finished
        task.processed = 3
        task.cursor = "msg_x"
        try await store.updateTask(task)
        try await expect(try await store.task(id: task.id) == task, "task update read back")
        try await expect(try await store.runningTasks().isEmpty, "finished task not listed")
    }
}

extension StoreConformance {
    static func retention(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let old = Fixtures.message(app: app, at: t0)
        let pendingOld = Fixtures.message(app: app, at: t0.addingTimeInterval(1))
        let recent = Fixtures.message(app: app, at: t0.addingTimeInterval(1000))
        _ = try await store.insertMessages([
            NewMessage(message: old, endpointIds: [endpoint.id], deliverAt: t0),
            NewMessage(message: pendingOld, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(500)),
            NewMessage(message: recent, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(1000)),
        ])
        let claimed = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(30)))[0]
        let attempt = Attempt(
            id: Identifier.make(.attempt, at: t0), messageId: old.id, endpointId: endpoint.id, appId: app.id, url: endpoint.url,
            responseStatusCode: 200, response: "thanks", durationMs: 3, status: .success, trigger: .scheduled, timestamp: t0)
        try await store.completeDeliveries([DeliveryOutcome(claimed: claimed, attempt: attempt, next: .succeeded, now: t0)])

        let cutoff = t0.addingTimeInterval(100)
        let preview = try await store.retentionCandidates(cutoff: cutoff)
        try await expect(
            preview == RetentionSummary(payloads: 1, payloadBytes: old.payload.count, responses: 1),
            "dry run counts only finished, old rows, got \(preview)")
        try await expect(try await store.purgePayloads(createdBefore: cutoff, limit: 10, now: cutoff) == 1, "one payload purged")
        try await expect(try await store.purgeAttemptResponses(before: cutoff, limit: 10) == 1, "one response purged")
        try await expect(try await store.purgePayloads(createdBefore: cutoff, limit: 10, now: cutoff) == 0, "purge is idempotent")
        try await expect(try await store.message(appId: app.id, id: old.id)?.payload.isEmpty == true, "old payload emptied, row kept")
        try await expect(try await store.message(appId: app.id, id: pendingOld.id)?.payload == pendingOld.payload, "unfinished message untouched")
        try await expect(try await store.message(appId: app.id, id: recent.id)?.payload == recent.payload, "recent message untouched")
        let attempts = try await store.attempts(AttemptQuery(appId: app.id, messageId: old.id))
        try await expect(attempts.items.map(\.response) == [""] && attempts.items.first?.responseStatusCode == 200, "attempt kept without its body")
    }

    static func queueDepth(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        for offset in [0.0, 0.0, 60.0] {
            let message = Fixtures.message(app: app, at: t0)
            _ = try await store.insertMessages([NewMessage(message: message, endpointIds: [endpoint.id], deliverAt: t0.addingTimeInterval(offset))])
        }
        _ = try await store.claimDeliveries(ClaimRequest(now: t0, limit: 1, leaseUntil: t0.addingTimeInterval(30)))
        let depth = try await store.queueDepth(now: t0)
        try await expect(depth == QueueDepth(due: 1, scheduled: 1, inFlight: 1), "one due, one scheduled, one in flight, got \(depth)")
    }
}
