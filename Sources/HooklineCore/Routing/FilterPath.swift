/// A path into a JSON document: `data.items[0].amount` or, equivalently, `data.items.0.amount`.
///
/// Segments are separated by `.`; `[n]` addresses element `n` of an array. A bare numeric segment
/// is a key on an object and an index on an array. Keys containing `.`, `[` or `]` cannot be addressed.
public struct FilterPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Hashable {
        /// An object member (or, when numeric, an array index too).
        case key(String)
        /// An array element, written `[n]`.
        case index(Int)
    }

    /// The most segments a path may have.
    public static let maxSegments = 32
    /// The longest path text accepted, in UTF-8 bytes.
    public static let maxLength = 512

    /// The steps, outermost first.
    public let segments: [Segment]
    /// The path as written.
    public let description: String

    /// Parses `text`; `nil` when it is empty, too long, or malformed (an empty segment, an unclosed
    /// or non-numeric `[…]`).
    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= Self.maxLength else { return nil }
        var segments: [Segment] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard let parsed = Self.parse(Substring(part)) else { return nil }
            segments += parsed
        }
        guard segments.count <= Self.maxSegments else { return nil }
        self.segments = segments
        self.description = text
    }

    /// The value at this path in `document`, or `nil` when some step is missing.
    public func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for segment in segments {
            switch (segment, current) {
            case (.key(let key), .object(let members)):
                guard let next = members[key] else { return nil }
                current = next
            case (.key(let key), .array(let elements)):
                guard let index = Int(key), elements.indices.contains(index) else { return nil }
                current = elements[index]
            case (.index(let index), .array(let elements)):
                guard elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// `name`, `name[1]`, `name[1][2]` or `[1]` as segments; `nil` when malformed.
    private static func parse(_ part: Substring) -> [Segment]? {
        var rest = part
        var segments: [Segment] = []
        if let open = rest.firstIndex(of: "[") {
            let name = rest[..<open]
            if !name.isEmpty { segments.append(.key(String(name))) }
            rest = rest[open...]
        } else {
            guard !rest.isEmpty, !rest.contains("]") else { return nil }
            return [.key(String(rest))]
        }
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
            let digits = rest[rest.index(after: rest.startIndex)..<close]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigit), let index = Int(digits) else { return nil }
            segments.append(.index(index))
            rest = rest[rest.index(after: close)...]
        }
        return segments.isEmpty ? nil : segments
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
