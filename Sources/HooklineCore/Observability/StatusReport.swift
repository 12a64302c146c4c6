import Foundation

/// A computed status report: each part's value, or why it is unavailable.
public struct StatusReport: Sendable, Equatable {
    /// When it was computed.
    public var generatedAt: Date
    /// Each part's value by name; an unavailable part is `{"unavailable": true, "reason": …}`.
    public var parts: [String: JSONValue]

    /// Creates a report.
    public init(generatedAt: Date, parts: [String: JSONValue]) {
        self.generatedAt = generatedAt
        self.parts = parts
    }

    /// The value standing for a part that failed or was too slow.
    public static func unavailable(_ reason: String) -> JSONValue {
        .object(["unavailable": .bool(true), "reason": .string(reason)])
    }
}
