import Foundation
import Hummingbird

/// JSON encoding and decoding as the Svix API speaks it: camelCase, ISO 8601 dates with milliseconds.
enum JSONCoding {
    /// One configured encoder and decoder for the process: they are not mutated after creation.
    private static let sharedEncoder = makeEncoder()
    private static let sharedDecoder = makeDecoder()

    /// The API's encoder.
    static func encoder() -> JSONEncoder { sharedEncoder }

    /// The API's decoder.
    static func decoder() -> JSONDecoder { sharedDecoder }

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Whole milliseconds, as stored (a floating-point formatter can print 1 ms less than was stored).
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(MillisecondTimestamp.iso8601(date.millisecondsSince1970))
        }
        return encoder
    }

    private static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = parseDate(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 date-time")
        }
        return decoder
    }

    /// Decodes `T` from `data`, mapping decoding failures to API errors.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw error.hooklineError
        }
    }

    /// Parses an ISO 8601 date-time with or without fractional seconds; without a zone it is UTC.
    static func parseDate(_ text: String) -> Date? {
        DateText.parse(text)
    }

    /// A message response whose `payload` member is `payload`'s exact bytes (or `{}` when `nil` or empty).
    static func response(_ status: HTTPResponse.Status, _ message: MessageOut, payload: Data?) throws -> Response {
        var data = try encoder().encode(message)
        guard data.last == UInt8(ascii: "}") else { return try response(status, message) }
        data.removeLast()
        data.append(contentsOf: Array((data.count > 1 ? ",\"payload\":" : "\"payload\":").utf8))
        // A purged payload is stored empty and reads as `{}`.
        data.append(payload.flatMap { $0.isEmpty ? nil : $0 } ?? Data("{}".utf8))
        data.append(UInt8(ascii: "}"))
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON response with `status`.
    static func response(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let data = try encoder().encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

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
