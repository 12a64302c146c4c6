import Foundation
import HooklineCore

/// Where `send` reads payloads: inline JSON, `@file`, or standard input (`-` or nothing).
enum PayloadSource {
    /// The payloads in `argument`: one JSON value, or one per line (newline-delimited JSON).
    static func payloads(_ argument: String?) throws -> [JSONValue] {
        let text: String
        switch argument {
        case nil, "-"?:
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        case let value? where value.hasPrefix("@"):
            let path = String(value.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
            text = String(decoding: data, as: UTF8.self)
        case let value?:
            text = value
        }
        let decoder = JSONDecoder()
        if let single = try? decoder.decode(JSONValue.self, from: Data(text.utf8)) { return [single] }
        var payloads: [JSONValue] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let value = try? decoder.decode(JSONValue.self, from: Data(line.utf8)) else {
                throw CLIError("line \(index + 1) of the data is not JSON")
            }
            payloads.append(value)
        }
        guard !payloads.isEmpty else { throw CLIError("no payload given: pass --data '{...}', --data @file.json, or JSON on stdin") }
        return payloads
    }
}
