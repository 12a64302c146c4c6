import Foundation

/// Long work the API answers at once and finishes in the background, e.g. recovering an endpoint.
///
/// The row is the work: a runner resumes every `running` task after a restart from its `cursor`.
public struct BackgroundTask: Sendable, Equatable {
    /// What a task does.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        /// The wire name, e.g. `endpoint.recover`.
        public let rawValue: String
        /// Creates a kind from its wire name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Re-queue an endpoint's failed deliveries in a window.
        public static let endpointRecover = Kind(rawValue: "endpoint.recover")
    }

    /// Where a task stands.
    public struct Status: RawRepresentable, Hashable, Sendable {
        /// The wire name.
        public let rawValue: String
        /// Creates a status from its wire name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Still working.
        public static let running = Status(rawValue: "running")
        /// Done.
        public static let finished = Status(rawValue: "finished")
        /// Stopped by an error.
        public static let failed = Status(rawValue: "failed")
    }

    /// The `qtask_` identifier.
    public var id: String
    /// What it does.
    public var kind: Kind
    /// Where it stands.
    public var status: Status
    /// The application it works on.
    public var appId: String
    /// The endpoint it works on, if any.
    public var endpointId: String?
    /// The start of its time window (inclusive).
    public var since: Date
    /// The end of its time window (exclusive), or open.
    public var until: Date?
    /// The last message id processed, for resuming.
    public var cursor: String?
    /// How many items it has processed (for recover: messages re-queued).
    public var processed: Int
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// Creates a task value.
    public init(
        id: String, kind: Kind, status: Status, appId: String, endpointId: String?, since: Date, until: Date?,
        cursor: String? = nil, processed: Int = 0, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.appId = appId
        self.endpointId = endpointId
        self.since = since
        self.until = until
        self.cursor = cursor
        self.processed = processed
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
