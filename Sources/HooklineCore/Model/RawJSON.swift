import Foundation

/// Finds a top-level member's value in JSON text without parsing the rest, for byte-exact payloads.
package enum RawJSON {
    /// The exact bytes of the value of top-level member `key` in the object `data`; `nil` when absent.
    ///
    /// `data` must already be known to be valid JSON (decode it first); keys are compared unescaped
    /// only when they contain no escapes, which holds for Hookline's own field names.
    package static func member(_ key: String, in data: Data) -> Data? {
        let bytes = [UInt8](data)
        let wanted = Array(key.utf8)
        var index = skipSpace(bytes, 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            index = skipSpace(bytes, index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let keyStart = index + 1
            index = endOfString(bytes, index)
            let name = bytes[keyStart..<(index - 1)]
            index = skipSpace(bytes, index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(bytes, index + 1)
            let valueEnd = endOfValue(bytes, valueStart)
            if name.elementsEqual(wanted) { return Data(bytes[valueStart..<valueEnd]) }
            index = skipSpace(bytes, valueEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    /// Whether `data` starts, after white space, with `{`.
    package static func looksLikeObject(_ data: Data) -> Bool {
        data.first { !isSpace($0) } == UInt8(ascii: "{")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        return index
    }

    /// The index just past the string that opens at `start`.
    private static func endOfString(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return index
    }

    /// The index just past the value that starts at `start`.
    private static func endOfValue(_ bytes: [UInt8], _ start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return endOfString(bytes, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index = endOfString(bytes, index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return index
        default:
            var index = start
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ","),
                bytes[index] != UInt8(ascii: "}"), bytes[index] != UInt8(ascii: "]")
            {
                index += 1
            }
            return index
        }
    }
}
