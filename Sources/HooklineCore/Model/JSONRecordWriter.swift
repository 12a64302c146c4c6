/// A JSON array of flat objects written member by member, without `JSONEncoder`: for rows sent to a database as
/// one JSON text (PostgreSQL's event recordsets, read with `json_to_recordset`). A `nil` member is written as `null`.
package struct JSONRecordWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "[")]
    private var records = 0
    private var members = 0

    /// A writer whose text is expected to take about `capacity` bytes.
    package init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Starts the next object.
    package mutating func beginRecord() {
        if records > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "{"))
        records += 1
        members = 0
    }

    /// Ends the current object.
    package mutating func endRecord() {
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes the member `key` (plain ASCII, written as is) with a string value.
    package mutating func member(_ key: StaticString, _ value: String?) {
        name(key)
        if let value { JSONValue.appendQuoted(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    /// Writes the member `key` (plain ASCII, written as is) with an integer value.
    package mutating func member(_ key: StaticString, _ value: Int64?) {
        name(key)
        if let value { JSONValue.appendInteger(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    /// The finished array's text.
    package consuming func text() -> String {
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func name(_ key: StaticString) {
        JSONValue.appendMemberName(key, counting: &members, to: &bytes)
    }
}
