import HooklineCore
import Hummingbird
import Logging

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

/// Turns every error into a JSON response; unknown errors become a generic 500 and are logged.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HooklineError {
            if error.code == .internalError || error.code == .unavailable || error.code == .outcomeUnknown {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            return ErrorBody.response(for: error)
        } catch let error as HTTPError {
            return ErrorBody.response(for: Self.translate(error))
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return ErrorBody.response(for: HooklineError(.internalError, "internal error"))
        }
    }

    static func translate(_ error: HTTPError) -> HooklineError {
        switch error.status {
        case .notFound: HooklineError(.notFound, "no such route")
        case .contentTooLarge: HooklineError(.payloadTooLarge, "the body exceeds the configured limit")
        case .unauthorized: HooklineError(.unauthorized, "missing or invalid credentials")
        case .badRequest: HooklineError(.invalidJSON, error.body ?? "bad request")
        default: HooklineError(.validation, error.body ?? "\(error.status.reasonPhrase)")
        }
    }
}
