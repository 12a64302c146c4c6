import Foundation

/// A condition on a message's JSON payload that decides whether an endpoint receives it.
///
/// The wire form (`payloadFilter` on an endpoint) is a JSON object: either a combinator —
/// `{"and": [f, …]}`, `{"or": [f, …]}`, `{"not": f}` — or a test on one value,
/// `{"path": "data.items[0].amount", <operator>: <operand>}` with exactly one operator:
/// `eq` (a scalar), `in` (a list of scalars), `exists` (true/false), `gt`/`gte`/`lt`/`lte` (a number).
///
/// Evaluation is pure and total: a missing path or a value of another type makes a test false
/// (`exists: false` is the one test a missing path satisfies); a payload that is not a JSON
/// document matches no filter at all. Numbers
/// compare by value (`1` equals `1.0`); a string never equals a number. See `PayloadFilter+Parsing`
/// for the limits a filter must respect.
package struct PayloadFilter: Sendable, Hashable {
    /// One node of a filter.
    package indirect enum Node: Sendable, Hashable {
        /// Every child matches (at least one child).
        case and([Node])
        /// Some child matches (at least one child).
        case or([Node])
        /// The child does not match.
        case not(Node)
        /// The value at `path` passes `test`.
        case test(FilterPath, Test)
    }

    /// A test on the value found at a path (`nil` when the path is missing).
    package enum Test: Sendable, Hashable {
        /// The value equals the scalar.
        case equals(JSONValue)
        /// The value equals one of the scalars.
        case isIn([JSONValue])
        /// The path is present (`true`) or missing (`false`); a JSON `null` is present.
        case exists(Bool)
        /// The value is a number greater than the operand.
        case greaterThan(Double)
        /// The value is a number greater than or equal to the operand.
        case greaterThanOrEqual(Double)
        /// The value is a number less than the operand.
        case lessThan(Double)
        /// The value is a number less than or equal to the operand.
        case lessThanOrEqual(Double)

        /// Whether `value` (the value at the path, `nil` when missing) passes.
        package func passes(_ value: JSONValue?) -> Bool {
            switch self {
            case .exists(let wanted): return (value != nil) == wanted
            case .equals(let operand): return value.map { Self.same($0, operand) } ?? false
            case .isIn(let operands): return value.map { value in operands.contains { Self.same(value, $0) } } ?? false
            case .greaterThan(let operand): return Self.number(value).map { $0 > operand } ?? false
            case .greaterThanOrEqual(let operand): return Self.number(value).map { $0 >= operand } ?? false
            case .lessThan(let operand): return Self.number(value).map { $0 < operand } ?? false
            case .lessThanOrEqual(let operand): return Self.number(value).map { $0 <= operand } ?? false
            }
        }

        /// Scalar equality; integers and doubles compare by numeric value.
        static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
            switch (lhs, rhs) {
            case (.integer(let a), .integer(let b)): return a == b
            case (.integer, .number), (.number, .integer), (.number, .number): return number(lhs) == number(rhs)
            default: return lhs == rhs
            }
        }

        /// The numeric value of a number, else `nil`.
        static func number(_ value: JSONValue?) -> Double? {
            switch value {
            case .integer(let number): return Double(number)
            case .number(let number): return number
            default: return nil
            }
        }
    }

    /// The root of the filter.
    package var root: Node

    /// Creates a filter from its root node (use `init(json:)` to validate user input).
    package init(root: Node) {
        self.root = root
    }

    /// Whether `payload` (a parsed JSON document; `nil` when the payload is not JSON) matches.
    package func matches(_ payload: JSONValue?) -> Bool {
        guard let payload else { return false }
        return Self.evaluate(root, payload)
    }

    /// Whether the raw `payload` bytes match; parses them (prefer `matches(_:)` with a parsed value when
    /// evaluating several filters).
    package func matches(payload: Data) -> Bool {
        matches(try? JSONDecoder().decode(JSONValue.self, from: payload))
    }

    private static func evaluate(_ node: Node, _ payload: JSONValue) -> Bool {
        switch node {
        case .and(let children): return children.allSatisfy { evaluate($0, payload) }
        case .or(let children): return children.contains { evaluate($0, payload) }
        case .not(let child): return !evaluate(child, payload)
        case .test(let path, let test): return test.passes(path.value(in: payload))
        }
    }
}

/// A path into a JSON document: `data.items[0].amount` or, equivalently, `data.items.0.amount`.
///
/// Segments are separated by `.`; `[n]` addresses element `n` of an array. A bare numeric segment
/// is a key on an object and an index on an array. Keys containing `.`, `[` or `]` cannot be addressed.
package struct FilterPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    package enum Segment: Sendable, Hashable {
        /// An object member (or, when numeric, an array index too).
        case key(String)
        /// An array element, written `[n]`.
        case index(Int)
    }

    /// The most segments a path may have.
    package static let maxSegments = 32
    /// The longest path text accepted, in UTF-8 bytes.
    package static let maxLength = 512

    /// The steps, outermost first.
    package let segments: [Segment]
    /// The path as written.
    package let description: String

    /// Parses `text`; `nil` when it is empty, too long, or malformed (an empty segment, an unclosed
    /// or non-numeric `[…]`).
    package init?(_ text: String) {
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
    package func value(in document: JSONValue) -> JSONValue? {
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
