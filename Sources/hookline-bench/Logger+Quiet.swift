import Logging

extension Logger {
    /// A logger that only speaks up for warnings and worse: the bench's servers stay quiet.
    static func quiet(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }
}
