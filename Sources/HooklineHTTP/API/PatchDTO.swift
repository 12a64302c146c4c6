import Foundation
import HooklineCore

/// The body of `PATCH /app/{app_id}`: absent fields stay, `null` clears a nullable field.
struct ApplicationPatchIn: Decodable {
    /// The fields present in the body.
    var patch = ApplicationPatch()

    enum CodingKeys: String, CodingKey { case name, uid, metadata, throttleRate }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        patch.name = try container.patch(String.self, forKey: .name)
        patch.uid = try container.nullablePatch(String.self, forKey: .uid)
        patch.metadata = try container.nullablePatch([String: String].self, forKey: .metadata)
        patch.throttleRate = try container.nullablePatch(Int.self, forKey: .throttleRate)
    }
}

/// The body of `PATCH …/endpoint/{endpoint_id}`; `filterTypes` is an alias of `eventTypes`.
struct EndpointPatchIn: Decodable {
    /// The fields present in the body.
    var patch = EndpointPatch()

    enum CodingKeys: String, CodingKey {
        case url, description, eventTypes, filterTypes, channels, secret, disabled, uid, metadata, headers, throttleRate
        case payloadFilter
        case ordered
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        patch.url = try container.patch(String.self, forKey: .url)
        patch.description = try container.nullablePatch(String.self, forKey: .description)
        patch.eventTypes = try container.nullablePatch([String].self, forKey: .eventTypes)
        if case .keep = patch.eventTypes { patch.eventTypes = try container.nullablePatch([String].self, forKey: .filterTypes) }
        patch.channels = try container.nullablePatch([String].self, forKey: .channels)
        patch.secret = try container.nullablePatch(String.self, forKey: .secret)
        patch.disabled = try container.nullablePatch(Bool.self, forKey: .disabled)
        patch.uid = try container.nullablePatch(String.self, forKey: .uid)
        patch.metadata = try container.nullablePatch([String: String].self, forKey: .metadata)
        patch.headers = try container.nullablePatch([String: String].self, forKey: .headers)
        patch.throttleRate = try container.nullablePatch(Int.self, forKey: .throttleRate)
        patch.payloadFilter = try container.nullablePatch(JSONValue.self, forKey: .payloadFilter)
        patch.ordered = try container.nullablePatch(Bool.self, forKey: .ordered)
    }
}

extension KeyedDecodingContainer {
    /// `.keep` when `key` is absent, else its (non-null) value.
    func patch<T: Decodable & Sendable>(_ type: T.Type, forKey key: Key) throws -> FieldPatch<T> {
        contains(key) ? .set(try decode(T.self, forKey: key)) : .keep
    }

    /// `.keep` when `key` is absent, `.set(nil)` when it is `null`, else its value.
    func nullablePatch<T: Decodable & Sendable>(_ type: T.Type, forKey key: Key) throws -> FieldPatch<T?> {
        guard contains(key) else { return .keep }
        return .set(try decodeIfPresent(T.self, forKey: key))
    }
}
