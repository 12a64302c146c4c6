import Hummingbird

/// The message the bench sends, and how the receiver finds its `seq` again in a delivery.
///
/// The payload is `{"seq":N,"pad":"xx…"}`, about 1 KiB. Hookline must deliver it as the exact JSON it
/// was given, but the receiver does not rely on byte order or spacing: it only looks for the `"seq"`
/// key and the integer after it, which keeps the hot path free of a JSON decoder.
enum BenchPayload {
    /// The `eventType` of every bench message.
    static let eventType = "bench.ping"

    /// Approximate size of the payload object in bytes.
    static let approximateSize = 1024

    private static let padding = String(repeating: "x", count: approximateSize - #"{"seq":123456,"pad":""}"#.utf8.count)

    /// The request body of a message create carrying `seq`.
    static func messageCreateBody(seq: Int) -> ByteBuffer {
        ByteBuffer(string: #"{"eventType":"\#(eventType)","payload":{"seq":\#(seq),"pad":"\#(padding)"}}"#)
    }

    /// The `seq` in a delivered payload, or nil when the body carries none.
    static func seq(in body: ByteBuffer) -> Int? {
        let bytes = body.readableBytesView
        guard let key = bytes.firstRange(of: #""seq""#.utf8) else { return nil }
        var index = key.upperBound
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: ":") {
            index = bytes.index(after: index)
        }
        var value = 0
        var digits = 0
        while index < bytes.endIndex, case let digit = bytes[index], digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int(digit - UInt8(ascii: "0"))
            digits += 1
            index = bytes.index(after: index)
        }
        return digits > 0 ? value : nil
    }
}
