import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Makes prefixed, time-sortable identifiers such as `msg_0Ujq3cE6x...`.
///
/// The part after the prefix is 9 base62 digits of milliseconds since the epoch followed by
/// 15 random base62 digits, so identifiers sort by creation time as plain strings.
package enum Identifier {
    /// The kinds of identifier and their prefixes.
    package enum Kind: String, Sendable, CaseIterable {
        case application = "app_"
        case endpoint = "ep_"
        case message = "msg_"
        case attempt = "atmpt_"
        case eventType = "evtype_"
        case task = "qtask_"
        case source = "src_"
        case inboundRequest = "inreq_"
    }

    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A new identifier of `kind` stamped with `time`.
    package static func make(_ kind: Kind, at time: Date) -> String {
        var generator = SystemWords()
        return make(kind, at: time, using: &generator)
    }

    /// The three random words an identifier needs, taken from the process's reserve of system randomness.
    private struct SystemWords: RandomNumberGenerator {
        private var words: (UInt64, UInt64, UInt64)
        private var used = 0

        init() { words = RandomReserve.shared.threeWords() }

        mutating func next() -> UInt64 {
            defer { used += 1 }
            switch used {
            case 0: return words.0
            case 1: return words.1
            case 2: return words.2
            default:
                var system = SystemRandomNumberGenerator()
                return system.next()
            }
        }
    }

    /// A new identifier of `kind` stamped with `time`, drawing randomness from `generator`.
    package static func make(_ kind: Kind, at time: Date, using generator: inout some RandomNumberGenerator) -> String {
        let prefix = kind.rawValue.utf8
        // One allocation: the prefix, 9 time digits and 15 random digits written straight into the string's storage.
        return String(unsafeUninitializedCapacity: prefix.count + 24) { buffer in
            var index = buffer.initialize(fromContentsOf: prefix)
            writeTime(time, into: UnsafeMutableBufferPointer(rebasing: buffer[index..<index + 9]))
            index += 9
            for _ in 0..<3 {
                // 62^5 < 2^30, so five digits from one 64-bit draw carry a negligible bias.
                var bits = generator.next()
                for _ in 0..<5 {
                    buffer[index] = alphabet[Int(bits % 62)]
                    bits /= 62
                    index += 1
                }
            }
            return index
        }
    }

    /// The smallest identifier of `kind` stamped with `time`: every identifier made earlier sorts below it, every later one not.
    package static func floor(_ kind: Kind, at time: Date) -> String {
        let prefix = kind.rawValue.utf8
        return String(unsafeUninitializedCapacity: prefix.count + 9) { buffer in
            let index = buffer.initialize(fromContentsOf: prefix)
            writeTime(time, into: UnsafeMutableBufferPointer(rebasing: buffer[index..<index + 9]))
            return index + 9
        }
    }

    /// The time `id` was stamped with, if it is an identifier of `kind` (its 9 time digits all base62).
    package static func time(of id: String, kind: Kind) -> Date? {
        let prefix = kind.rawValue.utf8
        let bytes = id.utf8
        guard bytes.count >= prefix.count + 9, bytes.starts(with: prefix) else { return nil }
        var ms: Int64 = 0
        for byte in bytes.dropFirst(prefix.count).prefix(9) {
            guard let digit = digitValue(byte) else { return nil }
            ms = ms * 62 + Int64(digit)
        }
        return Date(millisecondsSince1970: ms)
    }

    /// The value of one base62 digit, or nil for any other byte.
    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A")) + 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a")) + 36
        default: nil
        }
    }

    /// Writes `time` as 9 base62 digits of milliseconds since the epoch into `digits` (9 bytes).
    private static func writeTime(_ time: Date, into digits: UnsafeMutableBufferPointer<UInt8>) {
        var ms = UInt64(max(0, time.millisecondsSince1970))
        for index in stride(from: 8, through: 0, by: -1) {
            digits[index] = alphabet[Int(ms % 62)]
            ms /= 62
        }
    }

    /// Whether `value` starts with any identifier prefix (uids may not).
    package static func hasKnownPrefix(_ value: String) -> Bool {
        Kind.allCases.contains { value.hasPrefix($0.rawValue) }
    }
}

/// Random words from the system's generator, drawn 4 KiB at a time: one `getrandom` call serves ~170 identifiers
/// instead of one call each (every message, attempt and task gets an identifier). Each word is handed out once.
private final class RandomReserve: Sendable {
    static let shared = RandomReserve()

    private struct State {
        var words: [UInt64] = []
        var next = 0
    }

    private let state = Mutex(State())
    private static let capacity = 512

    /// Three words no other caller gets.
    func threeWords() -> (UInt64, UInt64, UInt64) {
        state.withLock { state in
            if state.next + 3 > state.words.count {
                state.words = Self.draw()
                state.next = 0
            }
            defer { state.next += 3 }
            return (state.words[state.next], state.words[state.next + 1], state.words[state.next + 2])
        }
    }

    private static func draw() -> [UInt64] {
        var words = [UInt64](repeating: 0, count: capacity)
        #if canImport(Glibc)
        words.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        #else
        var system = SystemRandomNumberGenerator()
        for index in words.indices { words[index] = system.next() }
        #endif
        return words
    }
}
