import Foundation
import HooklineCore

/// The body of `POST /event-type` (Svix `EventTypeIn`): the name plus the fields of `EventTypeUpdateIn`.
struct EventTypeIn: Decodable {
    var name: String
    var fields: EventTypeUpdateIn

    enum CodingKeys: String, CodingKey { case name }

    init(from decoder: any Decoder) throws {
        name = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .name)
        fields = try EventTypeUpdateIn(from: decoder)
    }
}

/// The body of `PUT /event-type/{name}` (Svix `EventTypeUpdate` / `EventTypeUpsertIn`); `featureFlags`, or the older
/// single `featureFlag`.
struct EventTypeUpdateIn: Decodable {
    var description: String
    var archived: Bool?
    var deprecated: Bool?
    var schemas: JSONValue?
    var featureFlag: String?
    var featureFlags: [String]?
    var groupName: String?

    var draft: EventTypeDraft {
        EventTypeDraft(
            description: description, archived: archived ?? false, deprecated: deprecated ?? false,
            schemas: schemas == .null ? nil : schemas, featureFlags: featureFlags ?? featureFlag.map { [$0] }, groupName: groupName)
    }
}

/// The body of `PATCH /event-type/{name}` (Svix `EventTypePatch`): absent fields stay, `null` clears a nullable one.
struct EventTypePatchIn: Decodable {
    var patch = EventTypePatch()

    enum CodingKeys: String, CodingKey { case description, archived, deprecated, schemas, featureFlag, featureFlags, groupName }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        patch.description = try container.patch(String.self, forKey: .description)
        patch.archived = try container.patch(Bool.self, forKey: .archived)
        patch.deprecated = try container.patch(Bool.self, forKey: .deprecated)
        patch.schemas = try container.nullablePatch(JSONValue.self, forKey: .schemas)
        if case .set(.some(.null)) = patch.schemas { patch.schemas = .set(nil) }
        patch.featureFlags = try container.nullablePatch([String].self, forKey: .featureFlags)
        if case .keep = patch.featureFlags, case .set(let flag) = try container.nullablePatch(String.self, forKey: .featureFlag) {
            patch.featureFlags = .set(flag.map { [$0] })
        }
        patch.groupName = try container.nullablePatch(String.self, forKey: .groupName)
    }
}

/// An event type as the API returns it (Svix `EventTypeOut`); lists leave `schemas` out unless `with_content=true`;
/// `featureFlag` (Svix's older single flag) is set when there is exactly one.
struct EventTypeOut: Encodable {
    var name: String
    var description: String
    var archived: Bool
    var deprecated: Bool
    var schemas: JSONValue?
    var featureFlag: String?
    var featureFlags: [String]?
    var groupName: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ eventType: EventType, withSchemas: Bool = true) {
        name = eventType.name
        description = eventType.description
        archived = eventType.archived
        deprecated = eventType.deprecated
        schemas = withSchemas ? eventType.schemas : nil
        featureFlags = eventType.featureFlags
        featureFlag = eventType.featureFlags?.count == 1 ? eventType.featureFlags?.first : nil
        groupName = eventType.groupName
        createdAt = eventType.createdAt
        updatedAt = eventType.updatedAt
    }
}

/// The body of `POST …/endpoint/{endpoint_id}/send-example`.
struct EventExampleIn: Decodable {
    var eventType: String
}
