import Foundation

/// A provider that sends webhooks in at `POST /in/{id or uid}`: how they are verified, deduplicated and routed.
package struct Source: Sendable, Equatable, Codable {
    /// The `src_` identifier.
    package var id: String
    /// An optional unique identifier usable in place of the id.
    package var uid: String?
    /// The display name.
    package var name: String
    /// The application whose endpoints receive the routed messages.
    package var appId: String
    /// The verification scheme and its options.
    package var verification: SourceVerification
    /// The current secret (`nil` for scheme `none`).
    package var secret: String?
    /// Replaced secrets still accepted until they expire.
    package var previousSecrets: [RetiredSourceSecret]
    /// Where the event type comes from; the scheme's default when `nil`.
    package var eventType: FieldSelector?
    /// Where the provider's event id comes from; the scheme's default when `nil`.
    package var dedupId: FieldSelector?
    /// How long a seen event id makes repeats duplicates, in seconds.
    package var dedupWindowSeconds: Int
    /// Where the correlation id kept on the message comes from, if anywhere.
    package var correlationId: FieldSelector?
    /// The largest body accepted; the node's default when `nil`.
    package var maxBodyBytes: Int?
    /// The status of the acknowledgement (2xx).
    package var ackStatus: Int
    /// The body of the acknowledgement; a small JSON object when `nil`.
    package var ackBody: String?
    /// When the source was created.
    package var createdAt: Date
    /// When the source last changed.
    package var updatedAt: Date

    /// Creates a source value.
    package init(
        id: String, uid: String?, name: String, appId: String, verification: SourceVerification, secret: String?,
        previousSecrets: [RetiredSourceSecret] = [], eventType: FieldSelector? = nil, dedupId: FieldSelector? = nil,
        dedupWindowSeconds: Int = 86_400, correlationId: FieldSelector? = nil, maxBodyBytes: Int? = nil, ackStatus: Int = 200,
        ackBody: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.uid = uid
        self.name = name
        self.appId = appId
        self.verification = verification
        self.secret = secret
        self.previousSecrets = previousSecrets
        self.eventType = eventType
        self.dedupId = dedupId
        self.dedupWindowSeconds = dedupWindowSeconds
        self.correlationId = correlationId
        self.maxBodyBytes = maxBodyBytes
        self.ackStatus = ackStatus
        self.ackBody = ackBody
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A source secret replaced by a newer one, accepted until `expiresAt`.
package struct RetiredSourceSecret: Sendable, Equatable, Codable {
    /// The old secret.
    package var secret: String
    /// When it stops being accepted.
    package var expiresAt: Date

    /// Creates a retired secret.
    package init(secret: String, expiresAt: Date) {
        self.secret = secret
        self.expiresAt = expiresAt
    }
}

extension Source {
    /// The event-type selector in force: the source's own, else the scheme's default.
    package var effectiveEventType: FieldSelector? {
        if let eventType { return eventType }
        switch verification.scheme {
        case .github: return FieldSelector(.header, "x-github-event")
        case .stripe: return FieldSelector(.json, "type")
        case .shopify: return FieldSelector(.header, "x-shopify-topic")
        case .standardWebhooks, .svix: return FieldSelector(.json, "type")
        default: return nil
        }
    }

    /// The dedup-id selector in force: the source's own, else the scheme's default.
    package var effectiveDedupId: FieldSelector? {
        if let dedupId { return dedupId }
        switch verification.scheme {
        case .github: return FieldSelector(.header, "x-github-delivery")
        case .stripe: return FieldSelector(.json, "id")
        case .shopify: return FieldSelector(.header, "x-shopify-webhook-id")
        case .standardWebhooks: return FieldSelector(.header, "webhook-id")
        case .svix: return FieldSelector(.header, "svix-id")
        default: return nil
        }
    }

    /// The provider's event id of a request, by the dedup selector in force (Standard Webhooks and Svix
    /// fall back to the other header set); `nil` when there is none.
    package func dedupKey(for request: InboundHTTPRequest, json: JSONValue?) -> String? {
        if let key = effectiveDedupId?.extract(from: request, json: json) { return key }
        guard dedupId == nil, verification.scheme == .standardWebhooks || verification.scheme == .svix else { return nil }
        return request.header("webhook-id") ?? request.header("svix-id")
    }

    /// The secrets accepted at `time`: the current one, then retired ones not yet expired.
    package func acceptedSecrets(at time: Date) -> [String] {
        (secret.map { [$0] } ?? []) + previousSecrets.filter { $0.expiresAt > time }.map(\.secret)
    }

    /// Makes `newSecret` current; the old one stays accepted until `now + gracePeriod`.
    package mutating func rotateSecret(to newSecret: String?, gracePeriod: Duration, now: Date) {
        var retired = previousSecrets.filter { $0.expiresAt > now }
        if let secret, secret != newSecret, gracePeriod > .zero {
            retired.insert(RetiredSourceSecret(secret: secret, expiresAt: now.adding(gracePeriod)), at: 0)
        }
        secret = newSecret
        previousSecrets = Array(retired.prefix(4))
    }

    /// The event type for a request: selected, made a valid name, or `inbound` when none is found.
    package func eventType(for request: InboundHTTPRequest, json: JSONValue?) -> String {
        guard let raw = effectiveEventType?.extract(from: request, json: json) else { return "inbound" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let cleaned = String(raw.map { allowed.contains($0) ? $0 : "_" }.prefix(256))
        return cleaned.isEmpty ? "inbound" : cleaned
    }
}
