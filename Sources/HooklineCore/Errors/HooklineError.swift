/// An error raised by Hookline's core, with a stable code the edge maps to a status.
package struct HooklineError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error category.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
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
        package static let notFound = Code(.notFound)
        /// The request collides with existing state (duplicate uid or event id).
        package static let conflict = Code(.conflict)
        /// A field failed validation.
        package static let validation = Code(.validation)
        /// The body is not well-formed JSON.
        package static let invalidJSON = Code(.invalidJSON)
        /// Credentials are missing or wrong.
        package static let unauthorized = Code(.unauthorized)
        /// The credentials are valid but do not reach this resource or operation (a portal token's scope).
        package static let forbidden = Code(.forbidden)
        /// The body exceeds the configured limit.
        package static let payloadTooLarge = Code(.payloadTooLarge)
        /// The store cannot accept writes right now; nothing of the request was written.
        package static let unavailable = Code(.unavailable)
        /// The store stopped answering while committing: the request may or may not have been written
        /// (retry with the same `Idempotency-Key` to find out safely).
        package static let outcomeUnknown = Code(.outcomeUnknown)
        /// Something unexpected failed; details are logged, never returned.
        package static let internalError = Code(.internalError)
        /// An inbound request's signature or credential did not verify.
        package static let verificationFailed = Code(.verificationFailed)
        /// The route exists but not for this HTTP method.
        package static let methodNotAllowed = Code(.methodNotAllowed)

        /// The wire form of the code.
        package var description: String { base.rawValue }
    }

    /// The error category.
    package var code: Code
    /// A human-readable explanation, safe to return to the caller.
    package var message: String
    /// The path of the offending field, for validation errors.
    package var field: [String]
    /// The underlying error, if any; logged, never returned.
    package var cause: (any Error & Sendable)?

    /// Creates an error.
    package init(_ code: Code, _ message: String, field: [String] = [], cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    /// A short description including the code and the message.
    package var description: String {
        var text = "\(code): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}

extension HooklineError {
    /// A resource of the given kind was not found.
    package static func notFound(_ kind: String) -> HooklineError {
        HooklineError(.notFound, "\(kind) not found")
    }

    /// A field failed validation.
    package static func invalid(_ field: String..., message: String) -> HooklineError {
        HooklineError(.validation, message, field: ["body"] + field)
    }
}
