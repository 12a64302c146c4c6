import Hummingbird

/// The message the bench sends, and how the receiver finds its `seq` again in a delivery.
///
/// The payload is `{"seq":N,"pad":"xx…"}`, about 1 KiB. Hookline promises to deliver it as the exact
/// JSON it was given, and the receiver checks that; but to find the `seq` it does not rely on byte order
/// or spacing: it looks for the `"seq"` key and the integer after it, with no JSON decoder on the hot path.
enum BenchPayload {
    /// The `eventType` of every bench message.
    static let eventType = "bench.ping"

    /// Approximate size of the payload object in bytes.
    static let approximateSize = 1024

    private static let padding = String(repeating: "x", count: approximateSize - #"{"seq":123456,"pad":""}"#.utf8.count)

    /// The payload of message `seq`, exactly as sent.
    static func payload(seq: Int) -> String {
        #"{"seq":\#(seq),"pad":"\#(padding)"}"#
    }

    /// The request body of a message create carrying `seq`.
    static func messageCreateBody(seq: Int) -> ByteBuffer {
        ByteBuffer(string: #"{"eventType":"\#(eventType)","payload":\#(payload(seq: seq))}"#)
    }

    /// Whether `body` is byte for byte the payload of message `seq`.
    static func isExactPayload(_ body: ByteBuffer, seq: Int) -> Bool {
        var expected = payload(seq: seq)
        return expected.withUTF8 { expected in
            body.withUnsafeReadableBytes { $0.elementsEqual(UnsafeRawBufferPointer(expected)) }
        }
    }

    /// The `seq` in a delivered payload, or nil when the body carries none.
    static func seq(in body: ByteBuffer) -> Int? {
        let key = #""seq""#
        guard let offset = body.readableOffset(of: key) else { return nil }
        let bytes = body.readableBytesView
        let afterKey = bytes.index(bytes.startIndex, offsetBy: offset + key.utf8.count)
        let value = bytes[afterKey...].drop { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: " ") }
        let digits = value.prefix { UInt8(ascii: "0") <= $0 && $0 <= UInt8(ascii: "9") }
        guard (1...18).contains(digits.count) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
