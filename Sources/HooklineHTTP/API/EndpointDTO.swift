import Foundation
import HooklineCore

/// The body of endpoint create and replace calls; `filterTypes` is accepted as an alias of `eventTypes`.
struct EndpointIn: Decodable {
    var url: String
    var description: String?
    var eventTypes: [String]?
    var channels: [String]?
    var secret: String?
    var disabled: Bool?
    var uid: String?
    var metadata: [String: String]?
    var headers: [String: String]?
    var throttleRate: Int?
    var payloadFilter: JSONValue?
    var ordered: Bool?

    enum CodingKeys: String, CodingKey {
        case url, description, eventTypes, filterTypes, channels, secret, disabled, uid, metadata, headers, throttleRate
        case payloadFilter
        case ordered
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        eventTypes =
            try container.decodeIfPresent([String].self, forKey: .eventTypes)
            ?? container.decodeIfPresent([String].self, forKey: .filterTypes)
        channels = try container.decodeIfPresent([String].self, forKey: .channels)
        secret = try container.decodeIfPresent(String.self, forKey: .secret)
        disabled = try container.decodeIfPresent(Bool.self, forKey: .disabled)
        uid = try container.decodeIfPresent(String.self, forKey: .uid)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata)
        headers = try container.decodeIfPresent([String: String].self, forKey: .headers)
        throttleRate = try container.decodeIfPresent(Int.self, forKey: .throttleRate)
        payloadFilter = try container.decodeIfPresent(JSONValue.self, forKey: .payloadFilter)
        ordered = try container.decodeIfPresent(Bool.self, forKey: .ordered)
    }

    var draft: EndpointDraft {
        var draft = EndpointDraft(
            url: url, description: description, eventTypes: eventTypes, channels: channels, secret: secret,
            disabled: disabled, uid: uid, metadata: metadata, headers: headers, throttleRate: throttleRate,
            payloadFilter: payloadFilter)
        draft.ordered = ordered
        return draft
    }
}

/// An endpoint as the API returns it (never with its secret); an empty filter list reads as `null` (Svix: `minItems: 1` or null).
struct EndpointOut: Encodable {
    var id: String
    var uid: String?
    var url: String
    var description: String
    var eventTypes: [String]?
    var filterTypes: [String]?
    var channels: [String]?
    var disabled: Bool
    var metadata: [String: String]
    var throttleRate: Int?
    var payloadFilter: JSONValue?
    var ordered: Bool
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ endpoint: Endpoint) {
        id = endpoint.id
        uid = endpoint.uid
        url = endpoint.url
        description = endpoint.description
        eventTypes = endpoint.eventTypes.nonEmpty
        filterTypes = endpoint.eventTypes.nonEmpty
        channels = endpoint.channels.nonEmpty
        disabled = endpoint.disabled
        metadata = endpoint.metadata
        throttleRate = endpoint.throttleRate
        payloadFilter = endpoint.payloadFilter?.json
        ordered = endpoint.ordered
        version = 1
        createdAt = endpoint.createdAt
        updatedAt = endpoint.updatedAt
    }
}

/// An endpoint's signing secret.
struct EndpointSecretOut: Encodable {
    var key: String
}

extension Optional where Wrapped == [String] {
    /// The list as the sets Svix's schemas describe: `nil` when empty (only non-empty or `null` is allowed, and empty
    /// means "all" anyway), repeated names once, in first-seen order.
    var nonEmpty: [String]? {
        guard let list = self, !list.isEmpty else { return nil }
        guard list.count > 1 else { return list }
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }
}
