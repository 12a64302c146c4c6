import Foundation

/// Where the CLI writes: results on standard output, progress on standard error.
enum Console {
    /// Prints a line of output.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Prints a progress line on standard error.
    static func progress(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
