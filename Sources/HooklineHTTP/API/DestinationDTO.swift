import Foundation
import HooklineCore

/// A message routed to an endpoint with that delivery's status (Svix `EndpointMessageOut`).
struct EndpointMessageOut: Encodable {
    var message: MessageOut
    var status: Int
    var statusText: String
    var nextAttempt: Date?

    init(_ item: EndpointMessage, withContent: Bool) {
        message = MessageOut(item.message, withContent: withContent)
        let status = item.delivery.state.svixStatus
        self.status = status.rawValue
        statusText = status.text
        nextAttempt = item.delivery.state == .pending ? item.delivery.nextAttemptAt : nil
    }

    enum CodingKeys: String, CodingKey { case status, statusText, nextAttempt }

    func encode(to encoder: any Encoder) throws {
        try message.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(statusText, forKey: .statusText)
        try container.encodeIfPresent(nextAttempt, forKey: .nextAttempt)
    }
}

/// An endpoint a message was routed to, with that delivery's status (Svix `MessageEndpointOut`).
struct MessageEndpointOut: Encodable {
    var endpoint: EndpointOut
    var status: Int
    var statusText: String
    var nextAttempt: Date?

    init(_ destination: MessageDestination) {
        endpoint = EndpointOut(destination.endpoint)
        let status = destination.delivery.state.svixStatus
        self.status = status.rawValue
        statusText = status.text
        nextAttempt = destination.delivery.state == .pending ? destination.delivery.nextAttemptAt : nil
    }

    enum CodingKeys: String, CodingKey { case status, statusText, nextAttempt }

    func encode(to encoder: any Encoder) throws {
        try endpoint.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(statusText, forKey: .statusText)
        try container.encode(nextAttempt, forKey: .nextAttempt)
    }
}
