/// How a server answered one `POST /api/v1/app/{app}/msg`.
enum MessageOutcome: Sendable {
    /// 202: the message is durably stored; Hookline now owes its delivery.
    case accepted(messageID: String)
    /// Any other HTTP status.
    case rejected(status: UInt)
    /// No HTTP answer: connection error, timeout, unreadable body.
    case failed
}
