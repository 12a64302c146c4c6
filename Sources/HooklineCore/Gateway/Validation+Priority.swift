extension Validation {
    /// The priority level a request names: an integer 0–9 or `"high"` (8), `"normal"` (5), `"low"` (2);
    /// `nil` when absent or `null`. Throws a validation error on `priority` otherwise.
    public static func priority(_ value: JSONValue?) throws -> Int? {
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
    public static func priority(level: Int) throws -> Int {
        guard PriorityLane.levels.contains(level) else {
            throw HooklineError.invalid("priority", message: "priority must be between 0 and 9 (9 is the most urgent), got \(level)")
        }
        return level
    }
}
