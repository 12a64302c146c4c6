import Foundation

/// One pass over JSON text that checks it strictly (RFC 8259) and reports the top-level members of an
/// object as byte ranges, without building any value: the ingest fast path reads its few small fields
/// from these ranges and keeps the payload's bytes as they are.
package struct JSONObjectScan: Sendable {
    /// One top-level member: where its key (without quotes) and its value lie in the scanned bytes.
    package struct Member: Sendable, Equatable {
        /// The key's bytes between the quotes, still escaped.
        package var key: Range<Int>
        /// The value's bytes.
        package var value: Range<Int>
        /// Whether the key contains an escape sequence.
        package var keyEscaped: Bool
    }

    /// The members in document order.
    package private(set) var members: [Member] = []

    /// Scans `bytes`; `nil` when they are not one valid JSON object, nest deeper than `maxDepth`, or are not UTF-8.
    package init?(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 256) {
        var reader = Reader(bytes: bytes, maxDepth: maxDepth)
        reader.skipSpace()
        guard reader.peek == UInt8(ascii: "{"), let members = reader.topLevelObject() else { return nil }
        reader.skipSpace()
        guard reader.index == bytes.count, !reader.sawNonASCII || String(validating: bytes, as: UTF8.self) != nil else { return nil }
        self.members = members
    }

    /// Decodes a string value made only of printable ASCII without escapes; `nil` otherwise (including `null`).
    package static func plainString(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\""), bytes[range.upperBound - 1] == UInt8(ascii: "\"") else {
            return nil
        }
        let inner = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
        guard inner.allSatisfy({ $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\\") }) else { return nil }
        return String(decoding: inner, as: UTF8.self)
    }

    /// Whether the value at `range` is the literal `null`.
    package static func isNull(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        range.count == 4 && bytes[range.lowerBound] == UInt8(ascii: "n")
    }
}

private struct Reader {
    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    var index = 0
    var depth = 0
    var sawNonASCII = false

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func topLevelObject() -> [JSONObjectScan.Member]? {
        var members: [JSONObjectScan.Member] = []
        index += 1
        skipSpace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return members
        }
        depth = 1
        while true {
            skipSpace()
            guard peek == UInt8(ascii: "\"") else { return nil }
            let keyStart = index
            guard let escaped = string() else { return nil }
            let key = (keyStart + 1)..<(index - 1)
            skipSpace()
            guard peek == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            let valueStart = index
            guard value() else { return nil }
            members.append(.init(key: key, value: valueStart..<index, keyEscaped: escaped))
            skipSpace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return members
            default: return nil
            }
        }
    }

    /// Consumes one value; false when it is not valid.
    mutating func value() -> Bool {
        guard let byte = peek else { return false }
        switch byte {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), keyed: true)
        case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), keyed: false)
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    mutating func container(close: UInt8, keyed: Bool) -> Bool {
        depth += 1
        guard depth <= maxDepth else { return false }
        defer { depth -= 1 }
        index += 1
        skipSpace()
        if peek == close {
            index += 1
            return true
        }
        while true {
            skipSpace()
            if keyed {
                guard peek == UInt8(ascii: "\""), string() != nil else { return false }
                skipSpace()
                guard peek == UInt8(ascii: ":") else { return false }
                index += 1
                skipSpace()
            }
            guard value() else { return false }
            skipSpace()
            guard let next = peek else { return false }
            index += 1
            if next == close { return true }
            guard next == UInt8(ascii: ",") else { return false }
        }
    }

    /// Consumes a string; returns whether it held an escape, or `nil` when it is not valid.
    mutating func string() -> Bool? {
        index += 1
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return escaped
            case UInt8(ascii: "\\"):
                escaped = true
                guard index + 1 < bytes.count else { return nil }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                    UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < bytes.count, (2...5).allSatisfy({ Self.isHex(bytes[index + $0]) }) else { return nil }
                    index += 6
                default:
                    return nil
                }
            case 0..<0x20:
                return nil
            default:
                if byte >= 0x80 { sawNonASCII = true }
                index += 1
            }
        }
        return nil
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    mutating func number() -> Bool {
        if peek == UInt8(ascii: "-") { index += 1 }
        guard let first = peek, Self.isDigit(first) else { return false }
        index += 1
        if first != UInt8(ascii: "0") { digits() }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard let next = peek, Self.isDigit(next) else { return false }
            digits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard let next = peek, Self.isDigit(next) else { return false }
            digits()
        }
        return true
    }

    mutating func digits() {
        while let byte = peek, Self.isDigit(byte) { index += 1 }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
}
