import Foundation

/// Where a value of an inbound request comes from: a header, a JSON path in the body, or a fixed value.
///
/// Written as text: `header:X-GitHub-Event`, `json:data.object.id`, `fixed:order.created`.
public struct FieldSelector: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The kinds of source.
    public enum Kind: String, Sendable, Codable {
        /// A request header (case-insensitive).
        case header
        /// A dotted path into the JSON body.
        case json
        /// The value itself.
        case fixed
    }

    /// The kind.
    public var kind: Kind
    /// The header name, the dotted JSON path, or the fixed value.
    public var value: String

    /// Creates a selector.
    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    /// Parses `kind:value`; `nil` when the kind is unknown or the value empty.
    public init?(spec: String) {
        let parts = spec.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), !parts[1].isEmpty else { return nil }
        self.init(kind, String(parts[1]))
    }

    /// The text form, `kind:value`.
    public var description: String { "\(kind.rawValue):\(value)" }

    /// Encodes as the text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Decodes the text form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let selector = FieldSelector(spec: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected header:NAME, json:PATH or fixed:VALUE")
        }
        self = selector
    }

    /// The selected value of `request`, whose body parsed as `json` (if it is JSON); `nil` when absent.
    public func extract(from request: InboundHTTPRequest, json: JSONValue?) -> String? {
        switch kind {
        case .fixed: return value
        case .header: return request.header(value).flatMap { $0.isEmpty ? nil : $0 }
        case .json:
            var current = json
            for key in value.split(separator: ".") { current = current?[String(key)] }
            switch current {
            case .string(let text)?: return text.isEmpty ? nil : text
            case .integer(let number)?: return String(number)
            case .number(let number)?: return String(number)
            case .bool(let flag)?: return String(flag)
            default: return nil
            }
        }
    }
}
