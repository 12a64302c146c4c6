import ArgumentParser
import Foundation
import Yams

/// A `serve` configuration file (YAML): each key is a setting's variable name without `HOOKLINE_`, in lower case
/// with dashes (`port: 8400`, `retry-schedule: 5s,5m,1h`, `allow-network: [127.0.0.0/8]`).
struct ConfigFile {
    /// One setting read from the file.
    struct Entry {
        /// The key as written.
        var key: String
        /// The `HOOKLINE_*` variable it sets.
        var variable: String
        /// The value as text (a list joined with commas).
        var value: String
        /// Its line in the file, from 1.
        var line: Int
    }

    /// Where the file is.
    let path: String
    /// Its settings in file order.
    let entries: [Entry]

    /// The settings as `HOOKLINE_*` variables.
    var environment: [String: String] { Dictionary(entries.map { ($0.variable, $0.value) }, uniquingKeysWith: { _, last in last }) }

    /// Reads and checks `path`: a mapping of known keys to scalars or lists of scalars; errors name the key and line.
    static func load(path: String, known variables: Set<String>) throws -> ConfigFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the configuration file \(path)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ValidationError("\(path): not valid YAML: \(error)")
        }
        guard let root else { return ConfigFile(path: path, entries: []) }
        guard let mapping = root.mapping else {
            throw ValidationError("\(path):\(root.mark?.line ?? 1): expected `key: value` lines at the top level")
        }
        var entries: [Entry] = []
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark?.line ?? 0
            guard let key = keyNode.scalar?.string else { throw ValidationError("\(path):\(line): a key must be a plain name") }
            let variable = "HOOKLINE_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
            guard variables.contains(variable), !key.contains("_") else {
                throw ValidationError("\(path):\(line): unknown key '\(key)' (keys are the settings of docs/configuration.md, e.g. retry-schedule)")
            }
            if entries.contains(where: { $0.variable == variable }) { throw ValidationError("\(path):\(line): '\(key)' is set twice") }
            let value: String
            if let scalar = valueNode.scalar {
                value = scalar.string
            } else if let list = valueNode.sequence {
                value = try list.map { item in
                    guard let text = item.scalar?.string else { throw ValidationError("\(path):\(line): '\(key)' must be a list of plain values") }
                    return text
                }.joined(separator: ",")
            } else {
                throw ValidationError("\(path):\(line): '\(key)' must be a value or a list of values, not a mapping")
            }
            entries.append(Entry(key: key, variable: variable, value: value, line: line))
        }
        return ConfigFile(path: path, entries: entries)
    }
}
