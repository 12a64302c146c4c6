/// One thing a stream sends its client.
public enum StreamFrame: Sendable, Equatable {
    /// The reconnection delay hint, sent first.
    case retry(milliseconds: Int64)
    /// An event from the log.
    case event(StreamEvent)
    /// A comment that keeps an idle connection open.
    case heartbeat
    /// Events after `requested` were pruned; replay starts at `oldestKept` (or live when `nil`).
    case gap(requested: Int64, oldestKept: Int64?)
    /// The client was too slow; it must reconnect with `Last-Event-ID: resumeFrom`. The stream ends.
    case cutOff(resumeFrom: Int64)
}
