import Foundation

/// Progress notes on standard error, stamped with the time since the run began; standard output is
/// kept for the report.
enum Console {
    private static let start = ContinuousClock.now

    /// Prints `message` as one progress line.
    static func progress(_ message: String) {
        let seconds = start.duration(to: .now).inSeconds
        FileHandle.standardError.write(Data((String(format: "[%6.1fs] ", seconds) + message + "\n").utf8))
    }
}
