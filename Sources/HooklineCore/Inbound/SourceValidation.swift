import Foundation

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
