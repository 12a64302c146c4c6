/// One independently read part of the status report, e.g. the queue depth.
public struct StatusPart: Sendable {
    /// The key of the part in the report.
    public let name: String
    /// Reads the part's current value.
    public let read: @Sendable () async throws -> JSONValue

    /// Creates a part.
    public init(name: String, read: @escaping @Sendable () async throws -> JSONValue) {
        self.name = name
        self.read = read
    }
}
