/// What a store can tell the readiness check beyond answering queries: room left and schema state.
public protocol StoreHealthProbe: Sendable {
    /// Bytes the store can still grow by before writes fail (disk free, or a configured cap); `nil` when it cannot tell.
    func freeSpace() async throws -> Int64?
    /// Names of the migrations this build knows that the database has not applied.
    func pendingMigrations() async throws -> [String]
}
