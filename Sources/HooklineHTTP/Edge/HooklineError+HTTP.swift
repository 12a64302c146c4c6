import HooklineCore
import Hummingbird

extension HooklineError.Code {
    /// The one mapping from error codes to HTTP statuses.
    var status: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .conflict: .conflict
        case .validation: .unprocessableContent
        case .invalidJSON: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .payloadTooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        case .outcomeUnknown: .gatewayTimeout
        case .verificationFailed: .unauthorized
        case .methodNotAllowed: .methodNotAllowed
        default: .internalServerError
        }
    }
}

/// The JSON bodies of error responses, in the shapes the Svix SDKs parse.
enum ErrorBody {
    struct Plain: Encodable {
        var code: String
        var detail: String
    }

    struct Validation: Encodable {
        struct Item: Encodable {
            var loc: [String]
            var msg: String
            var type: String
        }
        var detail: [Item]
    }

    /// The response for `error`.
    static func response(for error: HooklineError) -> Response {
        let status = error.code.status
        let response: Response?
        if error.code == .validation {
            let item = Validation.Item(loc: error.field.isEmpty ? ["body"] : error.field, msg: error.message, type: "value_error")
            response = try? JSONCoding.response(status, Validation(detail: [item]))
        } else {
            response = try? JSONCoding.response(status, Plain(code: error.code.description, detail: error.message))
        }
        return response ?? Response(status: .internalServerError)
    }
}
