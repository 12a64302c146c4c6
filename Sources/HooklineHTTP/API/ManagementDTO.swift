import Foundation
import HooklineCore

/// The body of `POST …/secret/rotate`: an optional new key and grace period.
struct SecretRotateIn: Decodable {
    var key: String?
    var gracePeriodSeconds: Int?
}

/// The body of `PUT` and `PATCH …/headers`.
struct EndpointHeadersIn: Decodable {
    var headers: [String: String]
    var deleteHeaders: [String]?
}

/// An endpoint's extra headers; Hookline redacts none.
struct EndpointHeadersOut: Encodable {
    var headers: [String: String]
    var sensitive: [String]
}

/// The body of `POST …/recover`.
struct RecoverIn: Decodable {
    var since: Date
    var until: Date?
}

/// A background task as the recover call and `GET /background-task/{id}` return it.
struct BackgroundTaskOut: Encodable {
    struct Progress: Encodable {
        var messagesSent: Int
    }

    var id: String
    var status: String
    var task: String
    var data: Progress
    var updatedAt: Date

    init(_ task: BackgroundTask) {
        id = task.id
        status = task.status.rawValue
        self.task = task.kind.rawValue
        data = Progress(messagesSent: task.processed)
        updatedAt = task.updatedAt
    }
}

/// An endpoint's deliveries counted by status.
struct EndpointStatsOut: Encodable {
    var success: Int
    var pending: Int
    var sending: Int
    var fail: Int
    var canceled: Int
    /// The circuit breaker on the answering node (absent when the server runs no delivery engine).
    var circuit: EndpointCircuitOut?

    init(_ counts: DeliveryCounts, circuit: EndpointHealth? = nil) {
        self.circuit = circuit.map(EndpointCircuitOut.init)
        success = counts.success
        pending = counts.pending
        sending = counts.sending
        fail = counts.fail
        canceled = counts.canceled
    }
}

/// The empty JSON object some calls answer with.
struct EmptyOut: Encodable {}
