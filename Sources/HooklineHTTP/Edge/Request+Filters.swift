import Foundation
import HooklineCore
import Hummingbird

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
