import Foundation
import HooklineCore
import Hummingbird
import NIOCore

/// The message-create call without Foundation's JSON coders for bodies and answers of the common shape.
///
/// `draft(body:)` reads the body in one strict pass (`JSONObjectScan`) and takes the payload's bytes as
/// they are; `response(_:payload:)` writes the 202 body from the message's known fields. Each returns `nil`
/// for anything less plain (escaped or non-ASCII strings, a `priority`, a duplicate field, a wrong type,
/// invalid JSON), and the caller then takes the `JSONDecoder`/`JSONEncoder` path, which words every error:
/// both paths accept the same bodies and produce the same bytes.
enum MessageFastPath {
    /// The draft for `body`, or `nil` to decode it with `JSONDecoder`.
    static func draft(body: Data) -> MessageDraft? {
        body.withUnsafeBytes { bytes -> MessageDraft? in
            guard let scan = JSONObjectScan(bytes) else { return nil }
            var eventType: String?
            var payload: Range<Int>?
            var eventId: String?
            var channels: [String]?
            var tags: [String]?
            var deliverAt: Date?
            var seen = Set<String>()
            for member in scan.members {
                guard !member.keyEscaped else { return nil }
                let key = String(decoding: bytes[member.key], as: UTF8.self)
                guard Self.fields.contains(key) else { continue }
                guard seen.insert(key).inserted else { return nil }
                let value = member.value
                let isNull = JSONObjectScan.isNull(bytes, value)
                switch key {
                case "eventType":
                    guard let text = JSONObjectScan.plainString(bytes, value) else { return nil }
                    eventType = text
                case "payload":
                    guard bytes[value.lowerBound] == UInt8(ascii: "{") else { return nil }
                    payload = value
                case "eventId":
                    if isNull { continue }
                    guard let text = JSONObjectScan.plainString(bytes, value) else { return nil }
                    eventId = text
                case "channels", "tags":
                    if isNull { continue }
                    guard let list = stringList(bytes, value) else { return nil }
                    if key == "channels" { channels = list } else { tags = list }
                case "deliverAt":
                    if isNull { continue }
                    guard let text = JSONObjectScan.plainString(bytes, value), let date = DateText.parse(text) else { return nil }
                    deliverAt = date
                default:
                    return nil  // priority: the decoder path validates its two spellings
                }
            }
            guard let eventType, let payload else { return nil }
            var draft = MessageDraft(
                eventType: eventType, payload: .object([:]), eventId: eventId, channels: channels, tags: tags, deliverAt: deliverAt)
            draft.rawPayload = Data(bytes[payload])
            return draft
        }
    }

    /// The 202 answer for `message` with `payload` spliced in as its bytes, or `nil` to encode it with `JSONEncoder`.
    static func response(_ message: Message, payload: Data?) -> Response? {
        guard message.correlationId == nil, message.createdAt == Date(millisecondsSince1970: message.createdAt.millisecondsSince1970)
        else { return nil }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(160 + (payload?.count ?? 2))
        guard append(member: "id", text: message.id, to: &buffer, first: true),
            append(member: "eventType", text: message.eventType, to: &buffer)
        else { return nil }
        if let eventId = message.eventId, !append(member: "eventId", text: eventId, to: &buffer) { return nil }
        if let channels = message.channels.nonEmpty, !append(member: "channels", list: channels, to: &buffer) { return nil }
        if let tags = message.tags.nonEmpty, !append(member: "tags", list: tags, to: &buffer) { return nil }
        buffer.writeString(",\"timestamp\":\"")
        buffer.writeString(MillisecondTimestamp.iso8601(message.createdAt.millisecondsSince1970))
        buffer.writeString("\",\"priority\":")
        buffer.writeString(String(message.priority))
        buffer.writeString(",\"payload\":")
        // A purged payload is stored empty and reads as `{}`.
        if let payload, !payload.isEmpty { buffer.writeBytes(payload) } else { buffer.writeString("{}") }
        buffer.writeString("}")
        return Response(status: .accepted, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    private static let fields: Set<String> = ["eventType", "payload", "eventId", "channels", "tags", "deliverAt", "priority"]

    private static func stringList(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> [String]? {
        guard bytes[range.lowerBound] == UInt8(ascii: "[") else { return nil }
        var list: [String] = []
        var index = range.lowerBound + 1
        let end = range.upperBound - 1
        while index < end {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "\"") else { return nil }
            var close = index + 1
            while close < end, bytes[close] != UInt8(ascii: "\"") { close += 1 }
            guard close < end, let text = JSONObjectScan.plainString(bytes, index..<(close + 1)) else { return nil }
            list.append(text)
            index = close + 1
        }
        return list
    }

    /// Appends `,"name":"text"` (no comma when `first`); `false` when `text` needs escaping.
    private static func append(member name: String, text: String, to buffer: inout ByteBuffer, first: Bool = false) -> Bool {
        guard isPlain(text) else { return false }
        buffer.writeString(first ? "{\"" : ",\"")
        buffer.writeString(name)
        buffer.writeString("\":\"")
        buffer.writeString(text)
        buffer.writeString("\"")
        return true
    }

    private static func append(member name: String, list: [String], to buffer: inout ByteBuffer) -> Bool {
        guard list.allSatisfy(isPlain) else { return false }
        buffer.writeString(",\"")
        buffer.writeString(name)
        buffer.writeString("\":[")
        for (index, text) in list.enumerated() {
            buffer.writeString(index == 0 ? "\"" : ",\"")
            buffer.writeString(text)
            buffer.writeString("\"")
        }
        buffer.writeString("]")
        return true
    }

    /// Printable ASCII without `"` or `\`: written by `JSONEncoder` as is.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }
}

/// ISO 8601 UTC text with milliseconds (`2026-11-30T05:12:03.123Z`) from milliseconds since 1970.
enum MillisecondTimestamp {
    /// The text for `milliseconds`.
    static func iso8601(_ milliseconds: Int64) -> String {
        let (seconds, millis) = floorDivision(milliseconds, 1000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        // Civil date from days since 1970-01-01 (proleptic Gregorian).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):"
            + "\(pad(secondOfDay % 60, 2)).\(pad(millis, 3))Z"
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
