import Foundation

/// What a caller asks for when creating a source.
package struct SourceDraft: Sendable {
    /// The display name.
    package var name: String
    /// An optional unique identifier.
    package var uid: String?
    /// The target application's id or uid.
    package var app: String
    /// The verification scheme and options.
    package var verification: SourceVerification
    /// The secret; generated (`whsec_…`) when absent and the scheme needs one.
    package var secret: String?
    /// Where the event type comes from.
    package var eventType: FieldSelector?
    /// Where the provider's event id comes from.
    package var dedupId: FieldSelector?
    /// The dedup window in seconds.
    package var dedupWindowSeconds: Int?
    /// Where the correlation id comes from.
    package var correlationId: FieldSelector?
    /// The largest body accepted.
    package var maxBodyBytes: Int?
    /// The acknowledgement status (2xx; default 200).
    package var ackStatus: Int?
    /// The acknowledgement body.
    package var ackBody: String?

    /// Creates a draft.
    package init(
        name: String, uid: String? = nil, app: String, verification: SourceVerification, secret: String? = nil,
        eventType: FieldSelector? = nil, dedupId: FieldSelector? = nil, dedupWindowSeconds: Int? = nil,
        correlationId: FieldSelector? = nil, maxBodyBytes: Int? = nil, ackStatus: Int? = nil, ackBody: String? = nil
    ) {
        self.name = name
        self.uid = uid
        self.app = app
        self.verification = verification
        self.secret = secret
        self.eventType = eventType
        self.dedupId = dedupId
        self.dedupWindowSeconds = dedupWindowSeconds
        self.correlationId = correlationId
        self.maxBodyBytes = maxBodyBytes
        self.ackStatus = ackStatus
        self.ackBody = ackBody
    }
}

/// A partial update of a source: only the fields set change.
package struct SourcePatch: Sendable {
    /// The display name.
    package var name: FieldPatch<String> = .keep
    /// The uid.
    package var uid: FieldPatch<String?> = .keep
    /// The target application's id or uid.
    package var app: FieldPatch<String> = .keep
    /// The verification settings.
    package var verification: FieldPatch<SourceVerification> = .keep
    /// A new secret; the old one stays accepted for the grace period.
    package var secret: FieldPatch<String?> = .keep
    /// How long the replaced secret stays accepted; the configured default when `nil`.
    package var secretGracePeriod: Duration?
    /// Where the event type comes from.
    package var eventType: FieldPatch<FieldSelector?> = .keep
    /// Where the provider's event id comes from.
    package var dedupId: FieldPatch<FieldSelector?> = .keep
    /// The dedup window in seconds.
    package var dedupWindowSeconds: FieldPatch<Int> = .keep
    /// Where the correlation id comes from.
    package var correlationId: FieldPatch<FieldSelector?> = .keep
    /// The largest body accepted.
    package var maxBodyBytes: FieldPatch<Int?> = .keep
    /// The acknowledgement status.
    package var ackStatus: FieldPatch<Int> = .keep
    /// The acknowledgement body.
    package var ackBody: FieldPatch<String?> = .keep

    /// Creates a patch that changes nothing.
    package init() {}
}

/// The rules a source must satisfy before it is stored.
enum SourceValidation {
    /// Throws a validation error naming the first field that breaks a rule.
    static func check(_ source: Source) throws {
        guard !source.name.isEmpty, source.name.count <= 256 else {
            throw HooklineError.invalid("name", message: "name must be 1 to 256 characters")
        }
        try Validation.uid(source.uid)
        guard (200...299).contains(source.ackStatus) else {
            throw HooklineError.invalid("ackStatus", message: "ackStatus must be a 2xx status")
        }
        if let limit = source.maxBodyBytes, !(1...(64 << 20)).contains(limit) {
            throw HooklineError.invalid("maxBodyBytes", message: "maxBodyBytes must be between 1 and 67108864")
        }
        guard (0...(30 * 86_400)).contains(source.dedupWindowSeconds) else {
            throw HooklineError.invalid("dedupWindowSeconds", message: "dedupWindowSeconds must be between 0 and 2592000")
        }
        try verification(source.verification, secret: source.secret)
        for (field, selector) in [("eventType", source.eventType), ("dedupId", source.dedupId), ("correlationId", source.correlationId)] {
            if let selector, selector.kind == .header {
                try Validation.headers([selector.value: ""])
            } else if let selector, selector.value.isEmpty {
                throw HooklineError.invalid(field, message: "\(field) needs a value")
            }
        }
    }

    private static func verification(_ settings: SourceVerification, secret: String?) throws {
        if settings.needsSecret, secret?.isEmpty ?? true {
            throw HooklineError.invalid("secret", message: "the scheme needs a secret")
        }
        switch settings.scheme {
        case .standardWebhooks, .svix:
            guard let secret, StandardWebhooksVerifier.key(secret) != nil else {
                throw HooklineError.invalid("secret", message: "secret must be 'whsec_' followed by base64")
            }
        case .basicAuth:
            guard secret?.contains(":") == true else {
                throw HooklineError.invalid("secret", message: "basic-auth secret must be 'user:password'")
            }
        case .hmac, .headerToken:
            if let header = settings.header { try Validation.headers([header: ""]) }
            if let header = settings.timestampHeader { try Validation.headers([header: ""]) }
        default:
            break
        }
        if let tolerance = settings.toleranceSeconds, !(1...86_400).contains(tolerance) {
            throw HooklineError.invalid("verification", "toleranceSeconds", message: "toleranceSeconds must be between 1 and 86400")
        }
    }
}
