import Foundation
import Logging

/// A swift-log handler writing one JSON object per line (`time`, `level`, `label`, `message`, `metadata`) for log shippers.
package struct JSONLogHandler: LogHandler {
    /// Where finished lines go; standard error by default.
    package typealias Sink = @Sendable (String) -> Void

    /// The least level written.
    package var logLevel: Logger.Level = .info
    /// Metadata attached to every record of this logger.
    package var metadata: Logger.Metadata = [:]
    let label: String
    let sink: Sink

    /// Creates a handler for `label` writing lines to `sink`.
    package init(label: String, sink: @escaping Sink = JSONLogHandler.standardError) {
        self.label = label
        self.sink = sink
    }

    /// Writes `line` and a newline to standard error in one call, so lines of concurrent records never interleave.
    package static let standardError: Sink = { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBufferPointer { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    }

    /// Reads or sets one metadata value.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats one record as a JSON line.
    package func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        var object: [String: Any] = [
            "time": Self.timestamp(Date()), "level": event.level.rawValue, "label": label, "message": "\(event.message)",
        ]
        if !fields.isEmpty { object["metadata"] = fields.mapValues(Self.json) }
        if event.level >= .error { object["source"] = "\(event.file):\(event.line)" }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        sink(String(decoding: data, as: UTF8.self))
    }

    private static func json(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let item): return item.description
        case .array(let items): return items.map(json)
        case .dictionary(let entries): return entries.mapValues(json)
        }
    }

    private static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
