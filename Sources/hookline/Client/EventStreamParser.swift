/// Splits Server-Sent Events text into frames as bytes arrive (lines end with `\n`; a blank line ends a frame).
struct EventStreamParser {
    /// One frame: the fields Hookline sends.
    struct Frame: Equatable {
        /// The `id:` field.
        var id: String?
        /// The `event:` field.
        var event: String?
        /// The `data:` lines joined with `\n`.
        var data: String?
        /// The `retry:` field in milliseconds.
        var retry: Int?
        /// Whether the frame was only a comment (a heartbeat).
        var isComment = false
    }

    private var line: [UInt8] = []
    private var current = Frame()
    private var sawField = false

    /// Feeds bytes; returns the frames they completed.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Frame] {
        var frames: [Frame] = []
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") else {
                line.append(byte)
                continue
            }
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            let text = String(decoding: line, as: UTF8.self)
            line.removeAll(keepingCapacity: true)
            if text.isEmpty {
                if sawField { frames.append(current) }
                current = Frame()
                sawField = false
                continue
            }
            sawField = true
            if text.hasPrefix(":") {
                current.isComment = true
                continue
            }
            let (name, value) = Self.field(text)
            switch name {
            case "id": current.id = value
            case "event": current.event = value
            case "data": current.data = current.data.map { $0 + "\n" + value } ?? value
            case "retry": current.retry = Int(value)
            default: break
            }
        }
        return frames
    }

    private static func field(_ text: String) -> (String, String) {
        guard let colon = text.firstIndex(of: ":") else { return (text, "") }
        var value = text[text.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(text[..<colon]), String(value))
    }
}
