import Foundation

/// A delivery row a completion moved, with the message facts its event needs.
public struct MovedDelivery: Sendable {
    /// The application.
    public var appId: String
    /// The message.
    public var messageId: String
    /// The endpoint.
    public var endpointId: String
    /// Attempts made so far, this one included.
    public var attempts: Int
    /// The message's event type.
    public var eventType: String?
    /// The message's channels.
    public var channels: [String]?
    /// When the message was accepted.
    public var messageCreatedAt: Date

    /// Creates a moved-delivery value.
    public init(
        appId: String, messageId: String, endpointId: String, attempts: Int, eventType: String?, channels: [String]?,
        messageCreatedAt: Date
    ) {
        self.appId = appId
        self.messageId = messageId
        self.endpointId = endpointId
        self.attempts = attempts
        self.eventType = eventType
        self.channels = channels
        self.messageCreatedAt = messageCreatedAt
    }
}
