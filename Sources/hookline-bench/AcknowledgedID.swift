import Foundation

/// A message id a 2xx answer carried, with the instant its request was sent when the load stamped it.
struct AcknowledgedID: Sendable {
    /// The `id` of the 202 body (`msg_…`).
    var id: String
    /// When the request was built, µs since the epoch; nil when not stamped.
    var sentUs: Int64?

    /// Reads the `PREFIX-THREAD.ids` files ``WrkScript`` wrote: lines `ID` or `ID SENT_US`.
    static func read(prefix: String, threads: Int) throws -> [AcknowledgedID] {
        var ids: [AcknowledgedID] = []
        for thread in 0..<threads {
            let path = "\(prefix)-\(thread).ids"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw BenchError.io("cannot read \(path)")
            }
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard let id = parts.first, id.hasPrefix("msg_") else { continue }
                let sent = parts.count > 1 ? Int64(parts[1]).flatMap { $0 > 0 ? $0 : nil } : nil
                ids.append(AcknowledgedID(id: String(id), sentUs: sent))
            }
        }
        return ids
    }

    /// The creation instant encoded in a Hookline id: 9 base62 digits of milliseconds after the prefix.
    static func createdMs(of id: String) -> Int64? {
        guard let underscore = id.firstIndex(of: "_") else { return nil }
        let digits = id[id.index(after: underscore)...].utf8.prefix(9)
        guard digits.count == 9 else { return nil }
        var value: Int64 = 0
        for digit in digits {
            let number: Int64
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): number = Int64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): number = Int64(digit - UInt8(ascii: "A")) + 10
            case UInt8(ascii: "a")...UInt8(ascii: "z"): number = Int64(digit - UInt8(ascii: "a")) + 36
            default: return nil
            }
            value = value * 62 + number
        }
        return value
    }
}
