import Foundation

/// A request received at an ingest URL, stored exactly as it arrived, and where it went.
package struct InboundRecord: Sendable, Equatable {
    /// The `inreq_` identifier.
    package var id: String
    /// The source it was sent to.
    package var sourceId: String
    /// Where the request stands.
    package var status: InboundStatus
    /// What verification concluded.
    package var verification: VerificationOutcome
    /// The provider's event id, when the source has a dedup selector and the request carried one.
    package var dedupKey: String?
    /// When repeats of `dedupKey` stop being duplicates.
    package var dedupUntil: Date?
    /// The earlier request this one repeats (status `duplicate`).
    package var duplicateOf: String?
    /// The stored headers (credentials removed), names lowercased.
    package var headers: [InboundHeader]
    /// The body, byte for byte.
    package var body: Data
    /// The message it became (status `routed`).
    package var messageId: String?
    /// Why routing failed (status `failed`).
    package var failure: String?
    /// When it arrived.
    package var receivedAt: Date
    /// When it was routed or failed.
    package var routedAt: Date?

    /// Creates a record.
    package init(
        id: String, sourceId: String, status: InboundStatus, verification: VerificationOutcome, dedupKey: String? = nil,
        dedupUntil: Date? = nil, duplicateOf: String? = nil, headers: [InboundHeader], body: Data, messageId: String? = nil,
        failure: String? = nil, receivedAt: Date, routedAt: Date? = nil
    ) {
        self.id = id
        self.sourceId = sourceId
        self.status = status
        self.verification = verification
        self.dedupKey = dedupKey
        self.dedupUntil = dedupUntil
        self.duplicateOf = duplicateOf
        self.headers = headers
        self.body = body
        self.messageId = messageId
        self.failure = failure
        self.receivedAt = receivedAt
        self.routedAt = routedAt
    }

    /// The request as verification and routing see it.
    package var request: InboundHTTPRequest { InboundHTTPRequest(storedHeaders: headers, body: body) }
}

/// Where an inbound request stands.
package enum InboundStatus: Int, Sendable, Equatable, CaseIterable {
    /// Stored and acknowledged; waiting to become a message.
    case pending = 0
    /// Became a message of the source's application.
    case routed = 1
    /// A repeat of an event id seen within the window: acknowledged, not routed.
    case duplicate = 2
    /// Verification failed: answered 401, never routed.
    case rejected = 3
    /// Could not be routed (source or application gone).
    case failed = 4

    /// The statuses a request ends in when it does not become a message: few rows, kept in a partial index of their
    /// own (`inbound_request_exception`), so listing one of them reads its rows, not the source's history.
    package static let exceptions: [InboundStatus] = [.duplicate, .rejected, .failed]

    /// The SQL predicate of `exceptions`, `status IN (2, 3, 4)`: a list by one of them adds it so the partial index serves.
    package static let exceptionPredicate = "status IN (\(exceptions.map { String($0.rawValue) }.joined(separator: ", ")))"

    /// The listed name.
    package var label: String {
        switch self {
        case .pending: "pending"
        case .routed: "routed"
        case .duplicate: "duplicate"
        case .rejected: "rejected"
        case .failed: "failed"
        }
    }
}

/// A request a provider sent to an ingest URL, as verification and routing see it: raw body bytes, headers in order.
package struct InboundHTTPRequest: Sendable, Equatable {
    /// Header fields in arrival order; names lowercased.
    package var headers: [InboundHeader]
    /// The body exactly as received.
    package var body: Data

    /// Creates a request; header names are lowercased.
    package init(headers: [(String, String)], body: Data) {
        self.headers = headers.map { InboundHeader(name: $0.0.lowercased(), value: $0.1) }
        self.body = body
    }

    /// Creates a request from already-stored headers.
    package init(storedHeaders: [InboundHeader], body: Data) {
        self.headers = storedHeaders
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }

    /// The `content-type` header, if any.
    package var contentType: String? { header("content-type") }
}

/// One header field of an inbound request.
package struct InboundHeader: Sendable, Equatable, Codable {
    /// The lowercased name.
    package var name: String
    /// The value.
    package var value: String

    /// Creates a header field.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What happened to one inbound request of a committed batch.
package enum InboundInsertOutcome: Sendable, Equatable {
    /// Stored as given.
    case inserted
    /// Its dedup key was seen within the window: stored as a duplicate of that request.
    case duplicate(of: String)
}

/// The result of routing one pending inbound request, recorded in one transaction with its message.
package struct InboundRouting: Sendable {
    /// The inbound request.
    package var requestId: String
    /// The message to insert with its deliveries; `nil` when routing failed.
    package var message: NewMessage?
    /// Why routing failed, when it did.
    package var failure: String?
    /// When it was routed.
    package var now: Date

    /// A request that becomes `message`.
    package static func routed(_ requestId: String, as message: NewMessage, now: Date) -> InboundRouting {
        InboundRouting(requestId: requestId, message: message, failure: nil, now: now)
    }

    /// A request that cannot be routed, for `reason`.
    package static func failed(_ requestId: String, reason: String, now: Date) -> InboundRouting {
        InboundRouting(requestId: requestId, message: nil, failure: reason, now: now)
    }
}
