/// An error raised by Hookline's core, with a stable code the edge maps to a status.
public struct HooklineError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error category.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case notFound = "not_found"
            case conflict = "conflict"
            case validation = "validation"
            case invalidJSON = "invalid_json"
            case unauthorized = "authentication_failed"
            case forbidden = "forbidden"
            case payloadTooLarge = "payload_too_large"
            case unavailable = "service_unavailable"
            case outcomeUnknown = "outcome_unknown"
            case internalError = "internal_error"
            case verificationFailed = "verification_failed"
            case methodNotAllowed = "method_not_allowed"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The addressed resource does not exist.
        public static let notFound = Code(.notFound)
        /// The request collides with existing state (duplicate uid or event id).
        public static let conflict = Code(.conflict)
        /// A field failed validation.
        public static let validation = Code(.validation)
        /// The body is not well-formed JSON.
        public static let invalidJSON = Code(.invalidJSON)
        /// Credentials are missing or wrong.
        public static let unauthorized = Code(.unauthorized)
        /// The credentials are valid but do not reach this resource or operation (a portal token's scope).
        public static let forbidden = Code(.forbidden)
        /// The body exceeds the configured limit.
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// The store cannot accept writes right now; nothing of the request was written.
        public static let unavailable = Code(.unavailable)
        /// The store stopped answering while committing: the request may or may not have been written
        /// (retry with the same `Idempotency-Key` to find out safely).
        public static let outcomeUnknown = Code(.outcomeUnknown)
        /// Something unexpected failed; details are logged, never returned.
        public static let internalError = Code(.internalError)
        /// An inbound request's signature or credential did not verify.
        public static let verificationFailed = Code(.verificationFailed)
        /// The route exists but not for this HTTP method.
        public static let methodNotAllowed = Code(.methodNotAllowed)

        /// The wire form of the code.
        public var description: String { base.rawValue }
    }

    /// The error category.
    public var code: Code
    /// A human-readable explanation, safe to return to the caller.
    public var message: String
    /// The path of the offending field, for validation errors.
    public var field: [String]
    /// The underlying error, if any; logged, never returned.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, field: [String] = [], cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    /// A short description including the code and the message.
    public var description: String {
        var text = "\(code): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}

extension HooklineError {
    /// A resource of the given kind was not found.
    public static func notFound(_ kind: String) -> HooklineError {
        HooklineError(.notFound, "\(kind) not found")
    }

    /// A field failed validation.
    public static func invalid(_ field: String..., message: String) -> HooklineError {
        HooklineError(.validation, message, field: ["body"] + field)
    }
}
