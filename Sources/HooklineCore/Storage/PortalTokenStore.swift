import Foundation

/// Durable tenant-portal tokens, shared by every node of a cluster (see StoreConformance+PortalTokens).
public protocol PortalTokenStore: Sendable {
    /// Inserts a token record.
    func insertPortalToken(_ token: PortalToken) async throws
    /// The token record with this digest, usable or not.
    func portalToken(digest: String) async throws -> PortalToken?
    /// Marks the token revoked at `now`; returns whether it was usable until then.
    func revokePortalToken(digest: String, now: Date) async throws -> Bool
    /// Makes an application's tokens (only those of `sessionIds`, when given) expire at `cutoff` at the latest; returns how many changed.
    func expirePortalTokens(appId: String, sessionIds: [String]?, at cutoff: Date) async throws -> Int
    /// Deletes the records that expired before `cutoff`; returns how many.
    func deletePortalTokens(expiredBefore cutoff: Date) async throws -> Int
}
