import Foundation

extension PayloadFilter {
    /// Bounds on a filter's size, so that evaluating one on every message stays cheap.
    package enum Limits {
        /// The deepest nesting of `and`/`or`/`not` and tests (the root is depth 1).
        package static let maxDepth = 8
        /// The most nodes (combinators and tests) in one filter.
        package static let maxNodes = 64
        /// The most values in one `in` list.
        package static let maxInValues = 100
        /// The longest string operand, in UTF-8 bytes.
        package static let maxStringLength = 1024
        /// The largest filter, as compact JSON, in bytes.
        package static let maxEncodedBytes = 16 * 1024
    }

    /// The operators a test may use, in the order error messages list them.
    static let operators = ["eq", "in", "exists", "gt", "gte", "lt", "lte"]

    /// Parses and validates the wire form; throws a 422 `validation` error naming the offending place
    /// (e.g. `payloadFilter.and[1]: unknown operator 'gtx'`).
    package init(json: JSONValue, field: String = "payloadFilter") throws {
        var parser = Parser(field: field)
        self.init(root: try parser.node(json, at: [], depth: 1))
        if let size = try? self.json.canonicalData().count, size > Limits.maxEncodedBytes {
            throw HooklineError(.validation, "\(field): a filter may be at most \(Limits.maxEncodedBytes) bytes of JSON", field: ["body", field])
        }
    }

    /// The wire form (canonical: the same filter always gives the same value).
    package var json: JSONValue { Self.json(root) }

    private static func json(_ node: Node) -> JSONValue {
        switch node {
        case .and(let children): return .object(["and": .array(children.map(json))])
        case .or(let children): return .object(["or": .array(children.map(json))])
        case .not(let child): return .object(["not": json(child)])
        case .test(let path, let test):
            let (name, operand): (String, JSONValue) =
                switch test {
                case .equals(let value): ("eq", value)
                case .isIn(let values): ("in", .array(values))
                case .exists(let flag): ("exists", .bool(flag))
                case .greaterThan(let number): ("gt", numberValue(number))
                case .greaterThanOrEqual(let number): ("gte", numberValue(number))
                case .lessThan(let number): ("lt", numberValue(number))
                case .lessThanOrEqual(let number): ("lte", numberValue(number))
                }
            return .object(["path": .string(path.description), name: operand])
        }
    }

    private static func numberValue(_ number: Double) -> JSONValue {
        if number.rounded() == number, abs(number) < 9.0e15 { return .integer(Int64(number)) }
        return .number(number)
    }

    /// Walks the wire form, counting nodes and building errors with their location.
    private struct Parser {
        let field: String
        var nodes = 0

        mutating func node(_ value: JSONValue, at location: [String], depth: Int) throws -> Node {
            nodes += 1
            guard nodes <= Limits.maxNodes else { throw failure(location, "a filter may have at most \(Limits.maxNodes) conditions") }
            guard depth <= Limits.maxDepth else { throw failure(location, "a filter may nest at most \(Limits.maxDepth) levels deep") }
            guard case .object(let members) = value else {
                throw failure(location, "must be an object such as {\"path\": \"type\", \"eq\": \"x\"} or {\"and\": [...]}")
            }
            for combinator in ["and", "or", "not"] where members[combinator] != nil {
                guard members.count == 1 else {
                    throw failure(location, "'\(combinator)' must be the only key of its object")
                }
                return try self.combinator(combinator, members[combinator]!, at: location + [combinator], depth: depth)
            }
            return try test(members, at: location)
        }

        private mutating func combinator(_ name: String, _ value: JSONValue, at location: [String], depth: Int) throws -> Node {
            if name == "not" { return .not(try node(value, at: location, depth: depth + 1)) }
            guard case .array(let elements) = value, !elements.isEmpty else {
                throw failure(location, "'\(name)' takes a non-empty list of filters")
            }
            var children: [Node] = []
            for (index, element) in elements.enumerated() {
                children.append(try node(element, at: location + ["\(index)"], depth: depth + 1))
            }
            return name == "and" ? .and(children) : .or(children)
        }

        private func test(_ members: [String: JSONValue], at location: [String]) throws -> Node {
            guard let pathValue = members["path"] else {
                throw failure(
                    location,
                    "a condition needs 'path' and one operator (\(PayloadFilter.operators.joined(separator: ", "))), or 'and', 'or' or 'not'")
            }
            guard case .string(let text) = pathValue, let path = FilterPath(text) else {
                throw failure(
                    location + ["path"], "'path' must be a dotted path such as \"data.items[0].id\" (at most \(FilterPath.maxSegments) segments)")
            }
            let names = members.keys.filter { $0 != "path" }.sorted()
            if let unknown = names.first(where: { !PayloadFilter.operators.contains($0) }) {
                throw failure(location, "unknown operator '\(unknown)'; expected one of \(PayloadFilter.operators.joined(separator: ", "))")
            }
            guard names.count == 1, let name = names.first, let operand = members[name] else {
                throw failure(location, "a condition must have exactly one operator besides 'path' (found \(names.count))")
            }
            return .test(path, try test(name, operand, at: location + [name]))
        }

        private func test(_ name: String, _ operand: JSONValue, at location: [String]) throws -> Test {
            switch name {
            case "eq":
                return .equals(try scalar(operand, at: location))
            case "in":
                guard case .array(let values) = operand, (1...Limits.maxInValues).contains(values.count) else {
                    throw failure(location, "'in' takes a list of 1 to \(Limits.maxInValues) values")
                }
                return .isIn(try values.enumerated().map { try scalar($1, at: location + ["\($0)"]) })
            case "exists":
                guard case .bool(let flag) = operand else { throw failure(location, "'exists' takes true or false") }
                return .exists(flag)
            default:
                guard let number = Test.number(operand), number.isFinite else {
                    throw failure(location, "'\(name)' takes a number")
                }
                switch name {
                case "gt": return .greaterThan(number)
                case "gte": return .greaterThanOrEqual(number)
                case "lt": return .lessThan(number)
                default: return .lessThanOrEqual(number)
                }
            }
        }

        private func scalar(_ value: JSONValue, at location: [String]) throws -> JSONValue {
            switch value {
            case .string(let text) where text.utf8.count > Limits.maxStringLength:
                throw failure(location, "strings may be at most \(Limits.maxStringLength) bytes")
            case .array, .object:
                throw failure(location, "compare with a string, number, boolean or null, not a list or object")
            default:
                return value
            }
        }

        private func failure(_ location: [String], _ message: String) -> HooklineError {
            var text = field
            for step in location { text += Int(step) != nil ? "[\(step)]" : ".\(step)" }
            return HooklineError(.validation, "\(text): \(message)", field: ["body", field] + location)
        }
    }
}

extension PayloadFilter: Codable {
    /// Decodes the wire form; invalid filters are a decoding error.
    package init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        do {
            try self.init(json: value)
        } catch let error as HooklineError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the wire form.
    package func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
