/// How a server answered one `POST /api/v1/app/{app}/msg`.
enum MessageOutcome: Sendable {
    /// 202: the message is durably stored; Hookline now owes its delivery.
    case accepted(messageID: String)
    /// Any other HTTP status.
    case rejected(status: UInt)
    /// No usable HTTP answer: connection error, timeout, unreadable body; `reason` says which, briefly.
    case failed(reason: String)
}
