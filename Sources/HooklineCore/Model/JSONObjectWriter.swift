/// One JSON object written member by member, without `JSONEncoder`, members in the order written: for hot
/// responses such as stream frames. A `nil` member is left out, as `JSONEncoder` leaves out a `nil` optional.
package struct JSONObjectWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var members = 0

    /// A writer whose text is expected to take about `capacity` bytes.
    package init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes the member `key` (plain ASCII, written as is) with a string value, unless it is `nil`.
    package mutating func member(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        name(key)
        JSONValue.appendQuoted(value, to: &bytes)
    }

    /// Writes the member `key` (plain ASCII, written as is) with an integer value, unless it is `nil`.
    package mutating func member(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        name(key)
        JSONValue.appendInteger(value, to: &bytes)
    }

    /// Writes the member `key` (plain ASCII, written as is) with a JSON value (compact, sorted keys), unless it is `nil`.
    package mutating func member(_ key: StaticString, _ value: JSONValue?) {
        guard let value else { return }
        name(key)
        value.write(to: &bytes)
    }

    /// Writes the member `key` (plain ASCII, written as is) with a list of strings, unless it is `nil`.
    package mutating func member(_ key: StaticString, _ values: [String]?) {
        guard let values else { return }
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.appendQuoted(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The finished object's text.
    package consuming func text() -> String {
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func name(_ key: StaticString) {
        JSONValue.appendMemberName(key, counting: &members, to: &bytes)
    }
}
