import HooklineCore
import Logging
import Prometheus

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
                var handler = LazyMetadataLogHandler(StreamLogHandler.standardError(label: label))
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

extension PrometheusMetricsFactory {
    /// A factory whose duration buckets suit webhook latencies (100 µs to 60 s).
    static func hookline(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(15), .seconds(60),
        ]
        return factory
    }
}
