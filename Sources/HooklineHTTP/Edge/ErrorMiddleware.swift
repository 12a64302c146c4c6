import HooklineCore
import Hummingbird
import Logging

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
