import Foundation

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

    /// The three random words an identifier needs, drawn from the system's generator in one call.
    ///
    /// `SystemRandomNumberGenerator` makes one `getrandom` call per word; an identifier needs three, and every
    /// message, attempt and task gets one.
    private struct SystemWords: RandomNumberGenerator {
        private var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        private var used = 0

        init() {
            #if canImport(Glibc)
            withUnsafeMutableBytes(of: &words) { arc4random_buf($0.baseAddress!, $0.count) }
            #else
            var system = SystemRandomNumberGenerator()
            words = (system.next(), system.next(), system.next())
            #endif
        }

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
        var digits = [UInt8](repeating: 0, count: 24)
        writeTime(time, into: &digits)
        for chunk in 0..<3 {
            // 62^5 < 2^30, so five digits from one 64-bit draw carry a negligible bias.
            var bits = generator.next()
            for offset in 0..<5 {
                digits[9 + chunk * 5 + offset] = alphabet[Int(bits % 62)]
                bits /= 62
            }
        }
        return kind.rawValue + String(decoding: digits, as: UTF8.self)
    }

    /// The smallest identifier of `kind` stamped with `time`: every identifier made earlier sorts below it, every later one not.
    package static func floor(_ kind: Kind, at time: Date) -> String {
        var digits = [UInt8](repeating: 0, count: 9)
        writeTime(time, into: &digits)
        return kind.rawValue + String(decoding: digits, as: UTF8.self)
    }

    /// Writes `time` as 9 base62 digits of milliseconds since the epoch into the first 9 bytes of `digits`.
    private static func writeTime(_ time: Date, into digits: inout [UInt8]) {
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
