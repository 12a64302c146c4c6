import Foundation

/// Parses ISO 8601 date-times as the SDKs send them: any number of fractional digits, `Z`, an offset,
/// or no zone at all (read as UTC).
enum DateText {
    /// The date `text` denotes, or `nil` when it is not an ISO 8601 date-time.
    static func parse(_ text: String) -> Date? {
        let chars = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= chars.count else { return nil }
            var value = 0
            for byte in chars[index..<index + digits] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += digits
            return value
        }
        func expect(_ options: Set<UInt8>) -> Bool {
            guard index < chars.count, options.contains(chars[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect([0x2D]), let month = number(2), expect([0x2D]), let day = number(2),
            expect([0x54, 0x74, 0x20]), let hour = number(2), expect([0x3A]), let minute = number(2), expect([0x3A]),
            let second = number(2)
        else { return nil }
        var fraction = 0.0
        if expect([0x2E]) {
            var scale = 0.1
            let start = index
            while index < chars.count, (0x30...0x39).contains(chars[index]) {
                fraction += Double(chars[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if expect([0x5A, 0x7A]) {
            offset = 0
        } else if index < chars.count {
            // A '+' can arrive as a space when a query string was not percent-encoded.
            let sign = chars[index] == 0x2D ? -1 : 1
            guard expect([0x2B, 0x2D, 0x20]), let hours = number(2) else { return nil }
            _ = expect([0x3A])
            let minutes = number(2) ?? 0
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard index == chars.count else { return nil }
        var components = DateComponents(
            timeZone: TimeZone(identifier: "UTC"), year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        components.calendar = Calendar(identifier: .gregorian)
        guard components.isValidDate, let base = components.date else { return nil }
        return base.addingTimeInterval(fraction - Double(offset))
    }
}
