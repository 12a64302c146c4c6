import Foundation
import HooklineCore

/// Times on the command line: an ISO 8601 date-time, or a duration meaning "that long ago" (`2h`).
enum TimeArgument {
    /// `text` as an ISO 8601 string the server accepts.
    static func iso8601(_ text: String, now: Date = Date()) throws -> String {
        if let duration = try? DurationList.parseOne(text) {
            return now.adding(.zero - duration).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        return text
    }
}
