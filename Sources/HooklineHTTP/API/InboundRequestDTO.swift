import Foundation
import HooklineCore

/// A stored inbound request as the API returns it; the body as text when it is UTF-8, always as base64.
struct InboundRequestOut: Encodable {
    var id: String
    var sourceId: String
    var status: String
    var verification: String
    var reason: String?
    var dedupKey: String?
    var duplicateOf: String?
    var messageId: String?
    var failure: String?
    var receivedAt: Date
    var routedAt: Date?
    var headers: [[String]]
    var contentType: String?
    var bodySize: Int
    var body: String?
    var bodyBase64: String

    init(_ record: InboundRecord) {
        id = record.id
        sourceId = record.sourceId
        status = record.status.label
        verification = record.verification.label
        reason = record.verification.reason
        dedupKey = record.dedupKey
        duplicateOf = record.duplicateOf
        messageId = record.messageId
        failure = record.failure
        receivedAt = record.receivedAt
        routedAt = record.routedAt
        headers = record.headers.map { [$0.name, $0.value] }
        contentType = record.request.contentType
        bodySize = record.body.count
        body = String(data: record.body, encoding: .utf8)
        bodyBase64 = record.body.base64EncodedString()
    }
}

/// The default acknowledgement body of an inbound request.
struct InboundAckOut: Encodable {
    var id: String
    var duplicate: Bool
}
