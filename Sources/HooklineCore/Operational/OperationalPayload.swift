import Foundation

/// Builds the body of an operational webhook from an event-log entry (pure logic), in the shape of
/// Svix's operational webhooks: `{"type", "timestamp", "data": {…}}`.
///
/// - `message.attempt.exhausted|failing|recovered`: `data` = `appId`, `appUid`, `endpointId`, `msgId`,
///   `msgEventId`, `lastAttempt {id, responseStatusCode, timestamp}`.
/// - `endpoint.disabled`: `appId`, `appUid`, `endpointId`, `endpointUid`, `failSince`, `trigger`
///   (`manual` through the API, else `automatic`).
/// - `endpoint.enabled`: `appId`, `appUid`, `endpointId`, `endpointUid`.
///
/// Absent uids and event ids are omitted; times are ISO 8601 in UTC with milliseconds.
public enum OperationalPayload {
    /// The body for `event`, or `nil` when it is not an operational kind or lacks its ids.
    public static func body(for event: StreamEvent, appUid: String?, endpointUid: String?) -> JSONValue? {
        let draft = event.draft
        guard EventKind.operational.contains(draft.kind), let appId = draft.appId, let endpointId = draft.endpointId else { return nil }
        var data: [String: JSONValue] = ["appId": .string(appId), "endpointId": .string(endpointId)]
        if let appUid { data["appUid"] = .string(appUid) }
        switch draft.kind {
        case .endpointDisabled, .endpointEnabled:
            if let endpointUid { data["endpointUid"] = .string(endpointUid) }
            if draft.kind == .endpointDisabled {
                data["trigger"] = .string(draft.details["reason"] == .string("api") ? "manual" : "automatic")
                if case .integer(let since) = draft.details["failSince"] {
                    data["failSince"] = .string(timestamp(Date(millisecondsSince1970: since)))
                }
            }
        default:
            guard let messageId = draft.messageId else { return nil }
            data["msgId"] = .string(messageId)
            if let eventId = draft.details["msgEventId"] { data["msgEventId"] = eventId }
            if case .object(var attempt) = draft.details["lastAttempt"] {
                if case .integer(let time) = attempt["timestamp"] {
                    attempt["timestamp"] = .string(timestamp(Date(millisecondsSince1970: time)))
                }
                data["lastAttempt"] = .object(attempt)
            }
        }
        return .object(["type": .string(draft.kind.rawValue), "timestamp": .string(timestamp(draft.createdAt)), "data": .object(data)])
    }

    /// `time` as ISO 8601 in UTC with milliseconds, e.g. `2024-01-02T03:04:05.678Z`.
    static func timestamp(_ time: Date) -> String {
        time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
