import Logging

/// A log handler that keeps a logger's metadata as set and renders it only when a record is written.
///
/// swift-log's `StreamLogHandler` re-renders its metadata text on every change, and the HTTP server attaches a
/// request id to every request's logger, so it formatted text for each request that mostly logs nothing. This
/// wraps one and hands it the metadata with each record instead; the lines are the same.
struct LazyMetadataLogHandler<Wrapped: LogHandler>: LogHandler {
    private var wrapped: Wrapped
    /// Metadata attached to every record of this logger.
    var metadata: Logger.Metadata = [:]

    /// Wraps `handler`, which should carry no metadata of its own.
    init(_ handler: Wrapped) {
        wrapped = handler
    }

    /// The least level written.
    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    /// Reads or sets one metadata value.
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one record through the wrapped handler with this logger's metadata merged under the record's own.
    func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        wrapped.log(event: event)
    }
}
