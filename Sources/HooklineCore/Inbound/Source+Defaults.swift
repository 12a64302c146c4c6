import Foundation

extension Source {
    /// The event-type selector in force: the source's own, else the scheme's default.
    public var effectiveEventType: FieldSelector? {
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
    public var effectiveDedupId: FieldSelector? {
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
    public func dedupKey(for request: InboundHTTPRequest, json: JSONValue?) -> String? {
        if let key = effectiveDedupId?.extract(from: request, json: json) { return key }
        guard dedupId == nil, verification.scheme == .standardWebhooks || verification.scheme == .svix else { return nil }
        return request.header("webhook-id") ?? request.header("svix-id")
    }

    /// The secrets accepted at `time`: the current one, then retired ones not yet expired.
    public func acceptedSecrets(at time: Date) -> [String] {
        (secret.map { [$0] } ?? []) + previousSecrets.filter { $0.expiresAt > time }.map(\.secret)
    }

    /// Makes `newSecret` current; the old one stays accepted until `now + gracePeriod`.
    public mutating func rotateSecret(to newSecret: String?, gracePeriod: Duration, now: Date) {
        var retired = previousSecrets.filter { $0.expiresAt > now }
        if let secret, secret != newSecret, gracePeriod > .zero {
            retired.insert(RetiredSourceSecret(secret: secret, expiresAt: now.adding(gracePeriod)), at: 0)
        }
        secret = newSecret
        previousSecrets = Array(retired.prefix(4))
    }

    /// The event type for a request: selected, made a valid name, or `inbound` when none is found.
    public func eventType(for request: InboundHTTPRequest, json: JSONValue?) -> String {
        guard let raw = effectiveEventType?.extract(from: request, json: json) else { return "inbound" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let cleaned = String(raw.map { allowed.contains($0) ? $0 : "_" }.prefix(256))
        return cleaned.isEmpty ? "inbound" : cleaned
    }
}
