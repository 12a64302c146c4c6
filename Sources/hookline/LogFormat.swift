import HooklineCore
import Logging

/// How `serve` writes its logs to standard error.
enum LogFormat: String, Sendable {
    /// swift-log's text lines.
    case text
    /// One JSON object per line (`JSONLogHandler`).
    case json

    /// Installs the matching handler for the whole process at `level`.
    func bootstrap(level: Logger.Level) {
        switch self {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
