import Foundation
import HooklineCore

extension StoreConformance {
    /// Completions append `message.attempt.failing` (4th failure), `.exhausted` and `.recovered` in their transaction.
    static func operationalNotices(_ store: any HooklineStore) async throws {
        let (app, endpoint) = try await seed(store)
        let message = try await insert(store, app: app, to: endpoint, eventId: "order-1", at: t0)
        for index in 0..<4 {
            let time = t0.addingTimeInterval(Double(index * 10))
            try await attempt(store, message, success: false, next: .retry(at: time.addingTimeInterval(10)), at: time)
        }
        let failing = try await store.events(after: 0, limit: 100).filter { $0.kind == .messageAttemptFailing }
        try await expect(failing.count == 1, "one failing notice after the 4th failure, got \(failing.count)")
        try await expect(
            failing.first?.draft.messageId == message.id && failing.first?.draft.endpointId == endpoint.id
                && failing.first?.draft.details["msgEventId"] == .string("order-1"),
            "the notice names message, endpoint and event id")
        guard case .object(let last)? = failing.first?.draft.details["lastAttempt"], case .string(let attemptId)? = last["id"],
            last["responseStatusCode"] == .integer(500)
        else { throw ConformanceFailure(description: "the notice carries the last attempt") }
        let attempts = try await store.attempts(AttemptQuery(appId: app.id, messageId: message.id)).items
        try await expect(attempts.first?.id == attemptId, "lastAttempt is the 4th attempt")
        try await attempt(store, message, success: true, next: .succeeded, at: t0.addingTimeInterval(40))
        try await expect(try await store.latestEvent(kind: .messageAttemptRecovered)?.draft.messageId == message.id, "success after failing recovers")

        let quick = try await insert(store, app: app, to: endpoint, at: t0.addingTimeInterval(50))
        try await attempt(store, quick, success: false, next: .retry(at: t0.addingTimeInterval(60)), at: t0.addingTimeInterval(50))
        try await attempt(store, quick, success: true, next: .succeeded, at: t0.addingTimeInterval(60))
        let recovered = try await store.events(after: 0, limit: 200).filter { $0.kind == .messageAttemptRecovered }
        try await expect(recovered.count == 1, "a success after fewer than 4 failures is no recovery")

        let doomed = try await insert(store, app: app, to: endpoint, at: t0.addingTimeInterval(70))
        try await attempt(store, doomed, success: false, next: .failed, at: t0.addingTimeInterval(70))
        let exhausted = try await store.latestEvent(kind: .messageAttemptExhausted)
        try await expect(exhausted?.draft.messageId == doomed.id && exhausted?.appId == app.id, "exhaustion appends message.attempt.exhausted")
        try await expect(exhausted?.draft.details["msgEventId"] == nil, "no msgEventId without an event id")
    }
}
