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

    /// Writes the member `key` (plain ASCII, written as is) with a string value, or `null` when it is `nil`.
    package mutating func member(_ key: StaticString, orNull value: String?) {
        name(key)
        if let value { JSONValue.appendQuoted(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    /// Writes the member `key` (plain ASCII, written as is) with a boolean value.
    package mutating func member(_ key: StaticString, _ value: Bool) {
        name(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes the member `key` (plain ASCII, written as is) whose value is `json`, already valid JSON text.
    package mutating func member(_ key: StaticString, json: some Collection<UInt8>) {
        name(key)
        bytes.append(contentsOf: json)
    }

    /// Writes the member `key` (plain ASCII, written as is) whose value is the list of already valid JSON texts in `items`.
    package mutating func member(_ key: StaticString, jsonItems items: [[UInt8]]) {
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The finished object's text.
    package consuming func text() -> String {
        String(decoding: utf8(), as: UTF8.self)
    }

    /// The finished object's UTF-8 bytes.
    package consuming func utf8() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func name(_ key: StaticString) {
        JSONValue.appendMemberName(key, counting: &members, to: &bytes)
    }
}
