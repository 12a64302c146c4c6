import Foundation
import HTTPTypes
import HooklineCore
import Hummingbird

extension Request {
    /// The stream filters in the query: `event_types`, `channel`, `endpoint_id`, `msg_id`, `kinds` (comma-joined lists; unknown kinds are invalid).
    func streamFilter(appId: String?) throws -> StreamFilter {
        let query = uri.queryParameters
        func list(_ name: String) -> [String] {
            query.getAll(name).flatMap { $0.split(separator: ",").map(String.init) }
        }
        let eventTypes = list("event_types")
        let kinds = list("kinds")
        if let unknown = kinds.first(where: { !EventKind.all.contains(EventKind(rawValue: $0)) }) {
            throw HooklineError(
                .validation, "unknown event kind '\(unknown)'; known kinds: \(EventKind.all.map(\.rawValue).joined(separator: ", "))",
                field: ["query", "kinds"])
        }
        return StreamFilter(
            appId: appId ?? nonEmpty("app_id"), eventTypes: eventTypes.isEmpty ? nil : Set(eventTypes), channel: nonEmpty("channel"),
            endpointId: nonEmpty("endpoint_id"), messageId: nonEmpty("msg_id"),
            kinds: kinds.isEmpty ? nil : Set(kinds.map(EventKind.init(rawValue:))))
    }

    /// The `Last-Event-ID` header, else the `last_event_id` query parameter.
    func lastEventId() throws -> Int64? {
        guard let text = headers[values: .lastEventID].first ?? nonEmpty("last_event_id"), !text.isEmpty else { return nil }
        guard let id = Int64(text), id >= 0 else {
            throw HooklineError(.validation, "Last-Event-ID must be a non-negative integer", field: ["query", "last_event_id"])
        }
        return id
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID`, sent by EventSource clients when they reconnect.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    /// `X-Accel-Buffering`, which tells nginx not to buffer the stream.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!
}

extension StreamFrame {
    /// The frame as Server-Sent Events text, ending with the blank line that dispatches it.
    func sseText() -> String {
        switch self {
        case .retry(let milliseconds):
            return "retry: \(milliseconds)\n\n"
        case .heartbeat:
            return ": heartbeat\n\n"
        case .event(let event):
            return "id: \(event.id)\nevent: \(event.kind.rawValue)\ndata: \(StreamEventOut.text(event))\n\n"
        case .gap(let requested, let oldestKept):
            let oldest = oldestKept.map(String.init) ?? "null"
            return "event: stream.gap\ndata: {\"requested\":\(requested),\"oldestKept\":\(oldest)}\n\n"
        case .cutOff(let resumeFrom):
            let id = resumeFrom > 0 ? "id: \(resumeFrom)\n" : ""
            return "\(id)event: stream.cutoff\ndata: {\"resumeFrom\":\(resumeFrom),\"reason\":\"client too slow\"}\n\n"
        }
    }
}
