import Foundation
import HooklineCore

/// The body of a source create call.
struct SourceIn: Decodable {
    var name: String
    var uid: String?
    var app: String
    var verification: SourceVerification
    var secret: String?
    var eventType: FieldSelector?
    var dedupId: FieldSelector?
    var dedupWindowSeconds: Int?
    var correlationId: FieldSelector?
    var maxBodyBytes: Int?
    var ackStatus: Int?
    var ackBody: String?

    var draft: SourceDraft {
        SourceDraft(
            name: name, uid: uid, app: app, verification: verification, secret: secret, eventType: eventType, dedupId: dedupId,
            dedupWindowSeconds: dedupWindowSeconds, correlationId: correlationId, maxBodyBytes: maxBodyBytes, ackStatus: ackStatus,
            ackBody: ackBody)
    }
}

/// The body of `PATCH /source/{source_id}`: absent fields stay, `null` clears a nullable field.
struct SourcePatchIn: Decodable {
    /// The fields present in the body.
    var patch = SourcePatch()

    enum CodingKeys: String, CodingKey {
        case name, uid, app, verification, secret, secretGracePeriodSeconds, eventType, dedupId, dedupWindowSeconds, correlationId
        case maxBodyBytes, ackStatus, ackBody
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        patch.name = try container.patch(String.self, forKey: .name)
        patch.uid = try container.nullablePatch(String.self, forKey: .uid)
        patch.app = try container.patch(String.self, forKey: .app)
        patch.verification = try container.patch(SourceVerification.self, forKey: .verification)
        patch.secret = try container.nullablePatch(String.self, forKey: .secret)
        patch.secretGracePeriod = try container.decodeIfPresent(Int.self, forKey: .secretGracePeriodSeconds).map { .seconds($0) }
        patch.eventType = try container.nullablePatch(FieldSelector.self, forKey: .eventType)
        patch.dedupId = try container.nullablePatch(FieldSelector.self, forKey: .dedupId)
        patch.dedupWindowSeconds = try container.patch(Int.self, forKey: .dedupWindowSeconds)
        patch.correlationId = try container.nullablePatch(FieldSelector.self, forKey: .correlationId)
        patch.maxBodyBytes = try container.nullablePatch(Int.self, forKey: .maxBodyBytes)
        patch.ackStatus = try container.patch(Int.self, forKey: .ackStatus)
        patch.ackBody = try container.nullablePatch(String.self, forKey: .ackBody)
    }
}

/// A source as the API returns it, with its ingest path and the selectors in force.
struct SourceOut: Encodable {
    var id: String
    var uid: String?
    var name: String
    var appId: String
    var ingestPath: String
    var verification: SourceVerification
    var secret: String?
    var previousSecretCount: Int
    var eventType: String?
    var dedupId: String?
    var dedupWindowSeconds: Int
    var correlationId: String?
    var maxBodyBytes: Int?
    var ackStatus: Int
    var ackBody: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ source: Source) {
        id = source.id
        uid = source.uid
        name = source.name
        appId = source.appId
        ingestPath = "/in/\(source.id)"
        verification = source.verification
        secret = source.secret
        previousSecretCount = source.previousSecrets.count
        eventType = source.effectiveEventType?.description
        dedupId = source.effectiveDedupId?.description
        dedupWindowSeconds = source.dedupWindowSeconds
        correlationId = source.correlationId?.description
        maxBodyBytes = source.maxBodyBytes
        ackStatus = source.ackStatus
        ackBody = source.ackBody
        createdAt = source.createdAt
        updatedAt = source.updatedAt
    }
}

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
