import Foundation

extension Gateway {
    /// Creates (or updates) an event type.
    public func createEventType(name: String, description: String, archived: Bool = false) async throws -> EventType {
        try Validation.name(name, field: "name")
        let now = clock.now()
        let existing = try await store.eventType(named: name)
        let eventType = EventType(name: name, description: description, archived: archived, createdAt: existing?.createdAt ?? now, updatedAt: now)
        try await store.upsertEventType(eventType)
        return eventType
    }

    /// The event type with this name; throws `notFound`.
    public func eventType(named name: String) async throws -> EventType {
        guard let eventType = try await store.eventType(named: name) else { throw HooklineError.notFound("event type") }
        return eventType
    }

    /// A page of event types.
    public func eventTypes(_ page: PageRequest) async throws -> Page<EventType> {
        try checkPage(page)
        return try await store.eventTypes(page)
    }
}
