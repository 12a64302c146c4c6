import Foundation

extension HooklineStore {
    /// A fallback for stores without a precise query: the earliest due time when it lies after `now`,
    /// else `nil` (the engine then waits for a wake-up or its idle poll).
    public func nextDueTime(after now: Date) async throws -> Date? {
        guard let due = try await nextDueTime(), due > now else { return nil }
        return due
    }
}
