import Foundation

extension InboundRouter {
    /// The parts of the message a stored request becomes: its body byte for byte as the payload, the
    /// provider's content type, the derived event type and correlation id, tagged with the source id and
    /// accepted when the request was received. `MessageIntake` stamps, routes and schedules them.
    func makeParts(_ record: InboundRecord, source: Source) -> MessageParts {
        let request = record.request
        let needsJSON = source.effectiveEventType?.kind == .json || source.correlationId?.kind == .json
        let json = needsJSON ? try? JSONDecoder().decode(JSONValue.self, from: record.body) : nil
        let correlation = source.correlationId?.extract(from: request, json: json).map { String($0.prefix(256)) }
        return MessageParts(
            eventType: source.eventType(for: request, json: json), payload: record.body, tags: [source.id],
            contentType: request.contentType ?? "application/octet-stream", correlationId: correlation, acceptedAt: record.receivedAt)
    }
}
