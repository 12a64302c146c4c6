import Foundation

/// The fields of an event type create or replace call (Svix `EventTypeIn` / `EventTypeUpdate`).
package struct EventTypeDraft: Sendable {
    /// The description.
    package var description: String
    /// Whether the type is archived.
    package var archived: Bool
    /// Whether the type is deprecated.
    package var deprecated: Bool
    /// JSON schemas by version, a JSON object.
    package var schemas: JSONValue?
    /// The feature flags gating the type.
    package var featureFlags: [String]?
    /// The group the type belongs to.
    package var groupName: String?

    /// Creates a draft; by default not archived, not deprecated, without schemas, flag or group.
    package init(
        description: String, archived: Bool = false, deprecated: Bool = false, schemas: JSONValue? = nil, featureFlags: [String]? = nil,
        groupName: String? = nil
    ) {
        self.description = description
        self.archived = archived
        self.deprecated = deprecated
        self.schemas = schemas
        self.featureFlags = featureFlags
        self.groupName = groupName
    }
}

/// The fields of an event type PATCH call: absent fields stay, `null` clears a nullable one.
package struct EventTypePatch: Sendable {
    /// New description.
    package var description: FieldPatch<String> = .keep
    /// New archived flag.
    package var archived: FieldPatch<Bool> = .keep
    /// New deprecated flag.
    package var deprecated: FieldPatch<Bool> = .keep
    /// New schemas.
    package var schemas: FieldPatch<JSONValue?> = .keep
    /// New feature flags.
    package var featureFlags: FieldPatch<[String]?> = .keep
    /// New group name.
    package var groupName: FieldPatch<String?> = .keep

    /// A patch that changes nothing.
    package init() {}
}

extension Gateway {
    /// Creates an event type, or unarchives an archived one with the new fields (Svix); `conflict` if it exists unarchived.
    package func createEventType(name: String, _ draft: EventTypeDraft) async throws -> EventType {
        try Validation.name(name, field: "name")
        try Self.validate(draft)
        let existing = try await store.eventType(named: name)
        if let existing, !existing.archived { throw HooklineError(.conflict, "an event type with this name already exists") }
        var draft = draft
        if existing != nil { draft.archived = false }
        return try await save(name: name, draft, createdAt: existing?.createdAt)
    }

    /// Replaces an event type's fields, creating it when missing (Svix upsert); returns it and whether it was created.
    package func replaceEventType(name: String, _ draft: EventTypeDraft) async throws -> (EventType, created: Bool) {
        try Validation.name(name, field: "name")
        try Self.validate(draft)
        let existing = try await store.eventType(named: name)
        return (try await save(name: name, draft, createdAt: existing?.createdAt), existing == nil)
    }

    /// Changes the fields a patch names; throws `notFound`.
    package func patchEventType(name: String, _ patch: EventTypePatch) async throws -> EventType {
        let current = try await eventType(named: name)
        var draft = EventTypeDraft(
            description: current.description, archived: current.archived, deprecated: current.deprecated, schemas: current.schemas,
            featureFlags: current.featureFlags, groupName: current.groupName)
        patch.description.apply(to: &draft.description)
        patch.archived.apply(to: &draft.archived)
        patch.deprecated.apply(to: &draft.deprecated)
        patch.schemas.apply(to: &draft.schemas)
        patch.featureFlags.apply(to: &draft.featureFlags)
        patch.groupName.apply(to: &draft.groupName)
        try Self.validate(draft)
        return try await save(name: name, draft, createdAt: current.createdAt)
    }

    /// Archives an event type (Svix DELETE), or deletes it for good when `expunge`; throws `notFound`.
    package func deleteEventType(name: String, expunge: Bool) async throws {
        var current = try await eventType(named: name)
        if expunge {
            _ = try await store.deleteEventType(named: name)
            return
        }
        current.archived = true
        current.updatedAt = clock.now()
        try await store.upsertEventType(current)
    }

    /// The event type with this name, archived or not; throws `notFound`.
    package func eventType(named name: String) async throws -> EventType {
        guard let eventType = try await store.eventType(named: name) else { throw HooklineError.notFound("event type") }
        return eventType
    }

    /// A page of event types by name; archived ones only when `includeArchived` (Svix `include_archived`).
    package func eventTypes(_ page: PageRequest, includeArchived: Bool = false) async throws -> Page<EventType> {
        try checkPage(page)
        return try await store.eventTypes(page, includeArchived: includeArchived)
    }

    /// Rejects event types in an endpoint's filter that are archived, unless the endpoint already had them (Svix:
    /// endpoints keep filtering on a type archived later, but cannot start to).
    func rejectArchived(_ eventTypes: [String]?, keeping current: [String]? = nil) async throws {
        for name in Set(eventTypes ?? []).subtracting(current ?? []) {
            if let eventType = try await store.eventType(named: name), eventType.archived {
                throw HooklineError.invalid("eventTypes", message: "event type \(name) is archived")
            }
        }
    }

    private func save(name: String, _ draft: EventTypeDraft, createdAt: Date?) async throws -> EventType {
        let now = clock.now()
        var eventType = EventType(name: name, description: draft.description, archived: draft.archived, createdAt: createdAt ?? now, updatedAt: now)
        eventType.deprecated = draft.deprecated
        eventType.schemas = draft.schemas
        eventType.featureFlags = draft.featureFlags?.isEmpty == true ? nil : draft.featureFlags
        eventType.groupName = draft.groupName
        try await store.upsertEventType(eventType)
        return eventType
    }

    private static func validate(_ draft: EventTypeDraft) throws {
        if let schemas = draft.schemas, schemas != .null {
            guard case .object(let versions) = schemas, versions.values.allSatisfy(\.isObject) else {
                throw HooklineError.invalid("schemas", message: "schemas must be a JSON object of JSON schemas by version")
            }
        }
        try Validation.names(draft.featureFlags, field: "featureFlags")
        if let group = draft.groupName { try Validation.name(group, field: "groupName") }
    }
}
