import Foundation

/// An event read back from the durable log, with its monotonically increasing id.
public struct StreamEvent: Sendable, Equatable {
    /// The log position; later commits have larger ids.
    public var id: Int64
    /// Everything else about the event.
    public var draft: EventDraft

    /// Creates an event.
    public init(id: Int64, draft: EventDraft) {
        self.id = id
        self.draft = draft
    }

    /// What happened.
    public var kind: EventKind { draft.kind }
    /// The application it concerns, if any.
    public var appId: String? { draft.appId }
    /// When it happened.
    public var createdAt: Date { draft.createdAt }
}
