import Foundation
import HTTPTypes
import HooklineCore
import Hummingbird
import NIOCore

extension Request {
    /// Collects at most `limit` bytes of body and decodes them as `T`, mapping failures to API errors.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HooklineError(.payloadTooLarge, "the body exceeds the limit of \(limit) bytes")
        }
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw error.hooklineError
        }
    }

    /// Collects at most `limit` bytes of body (413 past it).
    mutating func collectBody(limit: Int) async throws -> Data {
        do {
            return Data(buffer: try await collectBody(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw HooklineError(.payloadTooLarge, "the body exceeds the limit of \(limit) bytes")
        }
    }
}

extension Request {
    /// Like `decodeJSON`, but an empty body decodes as `nil` (for calls whose body is optional).
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int, allowEmpty: Bool) async throws -> T? {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HooklineError(.payloadTooLarge, "the body exceeds the limit of \(limit) bytes")
        }
        if allowEmpty && buffer.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return nil
        }
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw error.hooklineError
        }
    }
}

extension DecodingError {
    /// This decoding failure as a validation or malformed-JSON error naming the field.
    var hooklineError: HooklineError {
        func path(_ context: Context, _ extra: CodingKey? = nil) -> [String] {
            ["body"] + (context.codingPath + (extra.map { [$0] } ?? [])).map { $0.intValue.map(String.init) ?? $0.stringValue }
        }
        switch self {
        case .keyNotFound(let key, let context):
            return HooklineError(.validation, "field required", field: path(context, key))
        case .typeMismatch(let type, let context):
            return HooklineError(.validation, "expected a value of type \(type)", field: path(context))
        case .valueNotFound(let type, let context):
            return HooklineError(.validation, "expected a value of type \(type), found null", field: path(context))
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return HooklineError(.invalidJSON, "the body is not valid JSON")
        case .dataCorrupted(let context):
            return HooklineError(.validation, context.debugDescription, field: path(context))
        @unknown default:
            return HooklineError(.validation, "the body could not be decoded")
        }
    }
}

/// A response body writer that keeps what is written.
final class BodyCollector: ResponseBodyWriter {
    /// Everything written so far.
    private(set) var data = Data()

    /// Appends `buffer`.
    func write(_ buffer: ByteBuffer) async throws {
        data.append(contentsOf: buffer.readableBytesView)
    }

    /// Nothing to do: the data is complete.
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension Request {
    /// The `limit` and `iterator` query parameters as a page request (limit 1–250, default 50).
    func pageRequest() throws -> PageRequest {
        let query = uri.queryParameters
        var limit = 50
        if let text = query.get("limit") {
            guard let value = Int(text) else {
                throw HooklineError(.validation, "limit must be an integer", field: ["query", "limit"])
            }
            limit = value
        }
        try Validation.limit(limit)
        let iterator = query.get("iterator").flatMap { $0.isEmpty ? nil : $0 }
        return PageRequest(limit: limit, iterator: iterator)
    }

    /// A boolean query parameter (`true`/`false`), or `defaultValue` when absent.
    func queryFlag(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let text = uri.queryParameters.get(name) else { return defaultValue }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw HooklineError(.validation, "\(name) must be true or false", field: ["query", name])
        }
    }
}

extension Parameters {
    /// A path parameter known to be in the route.
    func path(_ name: String) throws -> String {
        try require(name)
    }
}

extension Request {
    /// The list filters in the query: `event_types` (comma-joined), `channel`, `tag`, `before`, `after`.
    ///
    /// Parameters the SDKs send that Hookline does not filter by (`order`, `with_msg`,
    /// `expanded_statuses`, `include_archived`, …) are accepted and ignored.
    func listFilter() throws -> ListFilter {
        let query = uri.queryParameters
        let eventTypes =
            query.getAll("event_types").flatMap { $0.split(separator: ",").map(String.init) }
            + query.getAll("event_types[]")
        return ListFilter(
            eventTypes: eventTypes.isEmpty ? nil : eventTypes, channel: nonEmpty("channel"), tag: nonEmpty("tag"),
            before: try queryDate("before"), after: try queryDate("after"))
    }

    /// The attempt-list query: page, filters, `status`, `status_code_class` and (by message) `endpoint_id`.
    func attemptQuery() throws -> AttemptQuery {
        let status = try statusFilter()
        var codeClass: Int?
        if let text = nonEmpty("status_code_class") {
            guard let value = Int(text), [0, 100, 200, 300, 400, 500].contains(value) || (0...5).contains(value) else {
                throw HooklineError(.validation, "status_code_class must be 0, 100, 200, 300, 400 or 500", field: ["query", "status_code_class"])
            }
            codeClass = value >= 100 ? value / 100 : value
        }
        return AttemptQuery(
            appId: "", endpointId: nonEmpty("endpoint_id"), status: status, statusCodeClass: codeClass, filter: try listFilter(),
            page: try pageRequest())
    }

    /// The `status` query parameter (0 success, 1 pending, 2 fail, 3 sending, 4 canceled), if given.
    func statusFilter() throws -> AttemptStatus? {
        guard let text = nonEmpty("status") else { return nil }
        guard let value = Int(text), (0...4).contains(value) else {
            throw HooklineError(.validation, "status must be an integer from 0 to 4", field: ["query", "status"])
        }
        return AttemptStatus(rawValue: value)
    }

    /// A query parameter, `nil` when absent or empty.
    func nonEmpty(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An ISO 8601 query parameter; without a zone it is UTC.
    func queryDate(_ name: String) throws -> Date? {
        guard let text = nonEmpty(name) else { return nil }
        guard let date = DateText.parse(text) else {
            throw HooklineError(.validation, "\(name) must be an ISO 8601 date-time", field: ["query", name])
        }
        return date
    }
}
