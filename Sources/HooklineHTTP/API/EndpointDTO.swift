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

/// An endpoint's circuit breaker and load on the answering node, in `…/endpoint/{id}/stats`.
struct EndpointCircuitOut: Encodable {
    /// `closed`, `open` or `half-open`.
    var state: String
    /// When the breaker entered `state` (absent: closed since the node started).
    var since: Date?
    /// When an open breaker lets a probe through.
    var openUntil: Date?
    /// Failed attempts in a row.
    var consecutiveFailures: Int
    /// Attempts in the breaker's sliding window.
    var recentAttempts: Int
    /// Failed attempts among them.
    var recentFailures: Int
    /// `recentFailures / recentAttempts` (absent when the window is empty).
    var failureRatio: Double?
    /// Deliveries in flight on this node.
    var inFlight: Int
    /// Messages per second this node allows the endpoint (its share of the throttle), if throttled.
    var throttleRate: Double?
    /// When a circuit opened by another node closes, if one is open.
    var openElsewhereUntil: Date?

    init(_ health: EndpointHealth) {
        state = health.circuit.rawValue
        since = health.since
        openUntil = health.openUntil
        consecutiveFailures = health.consecutiveFailures
        recentAttempts = health.recentAttempts
        recentFailures = health.recentFailures
        failureRatio = health.failureRatio
        inFlight = health.inFlight
        throttleRate = health.throttleRate
        openElsewhereUntil = health.openElsewhereUntil
    }
}

/// The body of `POST …/secret/rotate`: an optional new key and grace period.
struct SecretRotateIn: Decodable {
    var key: String?
    var gracePeriodSeconds: Int?
}

/// The body of `PUT` and `PATCH …/headers`.
struct EndpointHeadersIn: Decodable {
    var headers: [String: String]
    var deleteHeaders: [String]?
}

/// An endpoint's extra headers; Hookline redacts none.
struct EndpointHeadersOut: Encodable {
    var headers: [String: String]
    var sensitive: [String]
}

/// The body of `POST …/recover`.
struct RecoverIn: Decodable {
    var since: Date
    var until: Date?
}

/// A background task as the recover call and `GET /background-task/{id}` return it.
struct BackgroundTaskOut: Encodable {
    struct Progress: Encodable {
        var messagesSent: Int
    }

    var id: String
    var status: String
    var task: String
    var data: Progress
    var updatedAt: Date

    init(_ task: BackgroundTask) {
        id = task.id
        status = task.status.rawValue
        self.task = task.kind.rawValue
        data = Progress(messagesSent: task.processed)
        updatedAt = task.updatedAt
    }
}

/// An endpoint's deliveries counted by status.
struct EndpointStatsOut: Encodable {
    var success: Int
    var pending: Int
    var sending: Int
    var fail: Int
    var canceled: Int
    /// The circuit breaker on the answering node (absent when the server runs no delivery engine).
    var circuit: EndpointCircuitOut?

    init(_ counts: DeliveryCounts, circuit: EndpointHealth? = nil) {
        self.circuit = circuit.map(EndpointCircuitOut.init)
        success = counts.success
        pending = counts.pending
        sending = counts.sending
        fail = counts.fail
        canceled = counts.canceled
    }
}

/// The empty JSON object some calls answer with.
struct EmptyOut: Encodable {}
