/// Field rules shared by the API: names, uids, channels and page sizes.
package enum Validation {
    /// The largest page a list returns.
    package static let maxLimit = 250

    /// Throws unless `value` is 1–256 characters of `[a-zA-Z0-9-_.]`.
    package static func name(_ value: String, field: String) throws {
        let valid =
            (1...256).contains(value.utf8.count)
            && value.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F || byte == 0x2E
            }
        guard valid else {
            throw HooklineError.invalid(field, message: "\(field) must be 1 to 256 characters of letters, digits, '-', '_' or '.'")
        }
    }

    /// Throws unless `value` is a valid name that does not look like an id.
    package static func uid(_ value: String?, field: String = "uid") throws {
        guard let value else { return }
        try name(value, field: field)
        if Identifier.hasKnownPrefix(value) {
            throw HooklineError.invalid(field, message: "\(field) may not start with an id prefix such as 'app_' or 'ep_'")
        }
    }

    /// Throws unless every element of `values` is a valid name and, with `maxCount`, there are at most that many
    /// distinct ones (Svix: 5 channels on a message, 10 on an endpoint).
    package static func names(_ values: [String]?, field: String, maxCount: Int? = nil) throws {
        for value in values ?? [] { try name(value, field: field) }
        if let maxCount, let values, Set(values).count > maxCount {
            throw HooklineError.invalid(field, message: "\(field) may hold at most \(maxCount) names")
        }
    }

    /// Throws unless `limit` is between 1 and 250.
    package static func limit(_ limit: Int) throws {
        guard (1...maxLimit).contains(limit) else {
            throw HooklineError(.validation, "limit must be between 1 and \(maxLimit)", field: ["query", "limit"])
        }
    }

    /// Throws unless every header name is an HTTP token and no value holds a line break.
    package static func headers(_ headers: [String: String]?) throws {
        let token = Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        for (name, value) in headers ?? [:] {
            guard !name.isEmpty, name.allSatisfy(token.contains), !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw HooklineError.invalid("headers", message: "header '\(name)' is not a valid HTTP header")
            }
        }
    }

    /// Throws unless `rate` is absent or positive.
    package static func throttleRate(_ rate: Int?) throws {
        if let rate, rate <= 0 {
            throw HooklineError.invalid("throttleRate", message: "throttleRate must be a positive number of messages per second")
        }
    }
}

extension Validation {
    /// The priority level a request names: an integer 0–9 or `"high"` (8), `"normal"` (5), `"low"` (2);
    /// `nil` when absent or `null`. Throws a validation error on `priority` otherwise.
    package static func priority(_ value: JSONValue?) throws -> Int? {
        switch value {
        case nil, .null?:
            return nil
        case .integer(let level)?:
            return try priority(level: Int(clamping: level))
        case .number(let number)? where number.rounded() == number && abs(number) < 1e6:
            return try priority(level: Int(number))
        case .string(let name)?:
            guard let lane = PriorityLane(name: name) else {
                throw HooklineError.invalid(
                    "priority", message: "priority must be an integer from 0 to 9 or one of \"high\", \"normal\", \"low\"; got \"\(name)\"")
            }
            return lane.level
        default:
            throw HooklineError.invalid("priority", message: "priority must be an integer from 0 to 9 or one of \"high\", \"normal\", \"low\"")
        }
    }

    /// Returns `level` when it lies in 0–9; throws a validation error on `priority` otherwise.
    @discardableResult
    package static func priority(level: Int) throws -> Int {
        guard PriorityLane.levels.contains(level) else {
            throw HooklineError.invalid("priority", message: "priority must be between 0 and 9 (9 is the most urgent), got \(level)")
        }
        return level
    }
}
