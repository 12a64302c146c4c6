import Foundation

/// One HTTP try of a delivery, with what the receiver answered.
public struct Attempt: Sendable, Equatable {
    /// The `atmpt_` identifier.
    public var id: String
    /// The message delivered.
    public var messageId: String
    /// The endpoint tried.
    public var endpointId: String
    /// The application both belong to.
    public var appId: String
    /// The URL that was called.
    public var url: String
    /// The HTTP status answered, or 0 when no response came.
    public var responseStatusCode: Int
    /// The response body (capped) or the network error.
    public var response: String
    /// How long the try took.
    public var durationMs: Int
    /// The outcome.
    public var status: AttemptStatus
    /// What started the try.
    public var trigger: AttemptTrigger
    /// When the try was made.
    public var timestamp: Date

    /// Creates an attempt value.
    public init(
        id: String, messageId: String, endpointId: String, appId: String, url: String, responseStatusCode: Int,
        response: String, durationMs: Int, status: AttemptStatus, trigger: AttemptTrigger, timestamp: Date
    ) {
        self.id = id
        self.messageId = messageId
        self.endpointId = endpointId
        self.appId = appId
        self.url = url
        self.responseStatusCode = responseStatusCode
        self.response = response
        self.durationMs = durationMs
        self.status = status
        self.trigger = trigger
        self.timestamp = timestamp
    }
}

/// An attempt's outcome, numbered as in the Svix API.
public struct AttemptStatus: RawRepresentable, Hashable, Sendable {
    /// The wire integer.
    public let rawValue: Int
    /// Creates a status from its wire integer.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The receiver answered 2xx.
    public static let success = AttemptStatus(rawValue: 0)
    /// Not yet tried.
    public static let pending = AttemptStatus(rawValue: 1)
    /// The receiver failed or could not be reached.
    public static let fail = AttemptStatus(rawValue: 2)
    /// In flight.
    public static let sending = AttemptStatus(rawValue: 3)
    /// Abandoned.
    public static let canceled = AttemptStatus(rawValue: 4)

    /// The Svix `statusText` for this status.
    public var text: String {
        switch rawValue {
        case 0: "success"
        case 1: "pending"
        case 2: "fail"
        case 3: "sending"
        default: "canceled"
        }
    }
}

/// What started an attempt, numbered as in the Svix API.
public struct AttemptTrigger: RawRepresentable, Hashable, Sendable {
    /// The wire integer.
    public let rawValue: Int
    /// Creates a trigger from its wire integer.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The retry schedule.
    public static let scheduled = AttemptTrigger(rawValue: 0)
    /// A manual resend or recover.
    public static let manual = AttemptTrigger(rawValue: 1)
}
