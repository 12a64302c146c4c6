import Foundation

extension InboundRouter {
    /// The message a stored request becomes: its body byte for byte as the payload, the provider's
    /// content type, the derived event type and correlation id, tagged with the source id.
    func makeMessage(_ record: InboundRecord, source: Source) -> Message {
        let request = record.request
        let needsJSON = source.effectiveEventType?.kind == .json || source.correlationId?.kind == .json
        let json = needsJSON ? try? JSONDecoder().decode(JSONValue.self, from: record.body) : nil
        let correlation = source.correlationId?.extract(from: request, json: json).map { String($0.prefix(256)) }
        return Message(
            id: Identifier.make(.message, at: clock.now()), appId: source.appId, eventType: source.eventType(for: request, json: json),
            eventId: nil, payload: record.body, channels: nil, tags: [source.id], createdAt: record.receivedAt,
            contentType: request.contentType ?? "application/octet-stream", correlationId: correlation)
    }
}
