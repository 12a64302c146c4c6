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

    /// A JSON response with `status`.
    /// A message response whose `payload` member is `payload`'s exact bytes (or `{}` when `nil`).
    static func response(_ status: HTTPResponse.Status, _ message: MessageOut, payload: Data?) throws -> Response {
        var message = message
        message.payload = nil
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

    static func response(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let data = try encoder().encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
