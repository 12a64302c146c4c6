import ArgumentParser
import Foundation

/// Parses sizes such as `512MB`, `2GB`, `64KiB` or a plain byte count (units are powers of 1024).
enum ByteSize {
    /// The number of bytes `text` names; a validation error naming the text otherwise.
    static func parse(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int64)] = [
            ("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("TIB", 1 << 40),
            ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("TB", 1 << 40), ("B", 1),
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Int64(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), number >= 0 else { break }
            return number * factor
        }
        if let number = Int64(trimmed), number >= 0 { return number }
        throw ValidationError("'\(text)' is not a size such as 512MB, 2GB or a number of bytes")
    }
}
