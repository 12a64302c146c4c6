import Foundation

/// What happened to one inbound request of a committed batch.
public enum InboundInsertOutcome: Sendable, Equatable {
    /// Stored as given.
    case inserted
    /// Its dedup key was seen within the window: stored as a duplicate of that request.
    case duplicate(of: String)
}

/// The result of routing one pending inbound request, recorded in one transaction with its message.
public struct InboundRouting: Sendable {
    /// The inbound request.
    public var requestId: String
    /// The message to insert with its deliveries; `nil` when routing failed.
    public var message: NewMessage?
    /// Why routing failed, when it did.
    public var failure: String?
    /// When it was routed.
    public var now: Date

    /// A request that becomes `message`.
    public static func routed(_ requestId: String, as message: NewMessage, now: Date) -> InboundRouting {
        InboundRouting(requestId: requestId, message: message, failure: nil, now: now)
    }

    /// A request that cannot be routed, for `reason`.
    public static func failed(_ requestId: String, reason: String, now: Date) -> InboundRouting {
        InboundRouting(requestId: requestId, message: nil, failure: reason, now: now)
    }
}
